using Hl7.Fhir.Model;

namespace MgAuth.Fhir.Tests;

/// <summary>
/// CRD 2.0.1: the draft order MgAuth annotates for an order-sign card carries the coverage-information extension as
/// CRD defines it, and the order stays a CRD MedicationRequest.
/// </summary>
public class CrdProfileTests
{
    private const string CrdMedicationRequest = "http://hl7.org/fhir/us/davinci-crd/StructureDefinition/profile-medicationrequest";

    private static MedicationRequest Annotated(string example, Action<System.Text.Json.Nodes.JsonObject>? edit = null)
    {
        var sign = OrderSignReader.Read(OrderSignWriter.Write(Examples.Request(example), DateTimeOffset.UnixEpoch).ToJsonString(), ValueSets.Shipped);
        var order = Assert.Single(sign.Orders);
        var (_, decision) = Decisions.Decide(example, edit);
        return CoverageInformation.Annotate(order.Draft, order.Coverage, decision, "assertion-1", DateTimeOffset.UnixEpoch);
    }

    // A covered, a conditional (documentation needed) and a not-covered answer (with pa-needed, as crd-ci-q2's FHIRPath
    // requires whatever its sentence says). An example without an NPI has no requester to order with, so is left out.
    [Theory]
    [InlineData("exacerbation", false)]
    [InlineData("exacerbation", true)]
    [InlineData("over-ceiling", false)]
    public void An_annotated_draft_order_is_a_valid_CRD_MedicationRequest(string example, bool baselinesMissing)
    {
        var annotated = Annotated(example, baselinesMissing ? r =>
        {
            r["clinical"]!["mgAdl"]!.AsObject().Remove("baseline");
            r["clinical"]!["qmg"]!.AsObject().Remove("baseline");
        } : null);

        var errors = FhirValidation.Errors(annotated, CrdMedicationRequest);
        Assert.True(errors.Count == 0, string.Join("\n", errors));
        Assert.DoesNotContain(FhirValidation.Issues(annotated, CrdMedicationRequest), i => i.Contains("Unable to resolve", StringComparison.Ordinal));
    }

    // Documentation needed that the DTR questionnaire asks (the score baselines): the extension names the questionnaire.
    [Fact]
    public void Documentation_the_questionnaire_asks_names_the_questionnaire_and_stays_a_valid_CRD_MedicationRequest()
    {
        var sign = OrderSignReader.Read(OrderSignWriter.Write(Examples.Request("exacerbation"), DateTimeOffset.UnixEpoch).ToJsonString(), ValueSets.Shipped);
        var order = Assert.Single(sign.Orders);
        var (_, decision) = Decisions.Decide("exacerbation", r =>
        {
            r["clinical"]!["mgAdl"]!.AsObject().Remove("baseline");
            r["clinical"]!["qmg"]!.AsObject().Remove("baseline");
        });
        Assert.True(DtrQuestionnaire.AsksAny(decision.MissingDocumentation, ValueSets.Shipped));

        var annotated = CoverageInformation.Annotate(order.Draft, order.Coverage, decision, "assertion-1", DateTimeOffset.UnixEpoch, order.Billing,
            DtrQuestionnaire.Canonical);

        var information = annotated.Extension.Single(e => e.Url == CoverageInformation.Url);
        Assert.Equal("clinical", information.GetExtensionValue<Code>("doc-needed").Value);
        Assert.Equal(DtrQuestionnaire.Canonical, information.GetExtensionValue<Canonical>("questionnaire").Value);
        var errors = FhirValidation.Errors(annotated, CrdMedicationRequest);
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    // crd-ci-q1: a questionnaire only with doc-needed. Nothing missing: none is written even when one is offered, and one
    // forced onto such an answer is what the profile refuses.
    [Fact]
    public void No_questionnaire_without_documentation_needed_and_the_profile_refuses_one()
    {
        var sign = OrderSignReader.Read(OrderSignWriter.Write(Examples.Request("exacerbation"), DateTimeOffset.UnixEpoch).ToJsonString(), ValueSets.Shipped);
        var order = Assert.Single(sign.Orders);
        var (_, decision) = Decisions.Decide("exacerbation");
        Assert.Empty(decision.MissingDocumentation);

        var annotated = CoverageInformation.Annotate(order.Draft, order.Coverage, decision, "assertion-1", DateTimeOffset.UnixEpoch, order.Billing,
            DtrQuestionnaire.Canonical);

        var information = annotated.Extension.Single(e => e.Url == CoverageInformation.Url);
        Assert.DoesNotContain(information.Extension, e => e.Url == "questionnaire");
        information.Extension.Add(new Extension("questionnaire", new Canonical(DtrQuestionnaire.Canonical)));
        Assert.Contains(FhirValidation.Errors(annotated, CrdMedicationRequest), e => e.Contains("crd-ci-q1", StringComparison.Ordinal));
    }

    [Fact]
    public void A_coverage_information_without_its_coverage_breaks_the_CRD_extension()
    {
        var annotated = Annotated("exacerbation");
        annotated.Extension.Single(e => e.Url == CoverageInformation.Url).Extension.RemoveAll(e => e.Url == "coverage");

        Assert.NotEmpty(FhirValidation.Errors(annotated, CrdMedicationRequest));
    }
}
