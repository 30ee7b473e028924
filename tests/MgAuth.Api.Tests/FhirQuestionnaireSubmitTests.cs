using System.Net;
using System.Text.Json.Nodes;
using MgAuth.Api.Tests.Support;
using MgAuth.Domain.Requests;
using MgAuth.Fhir.Tests;
using static MgAuth.Api.Tests.Support.FhirCalls;
using Task = System.Threading.Tasks.Task;

namespace MgAuth.Api.Tests;

/// <summary>$submit with a DTR QuestionnaireResponse: standard codes plus the filled questionnaire decide as /v1 decides the same request.</summary>
public sealed class FhirQuestionnaireSubmitTests(MgAuthFactory factory) : IClassFixture<MgAuthFactory>
{
    public static TheoryData<string> ExampleNames() => new(Examples.All);

    [Theory]
    [MemberData(nameof(ExampleNames))]
    public async Task Standard_codes_and_a_QuestionnaireResponse_are_decided_as_the_same_request_through_v1(string name)
    {
        var json = await factory.ProviderA.SubmitCreatedAsync(Examples.ForNewMember(name));
        var request = RequestReader.Read(Examples.ForNewMember(name).ToJsonString(), DateOnly.FromDateTime(DateTime.UtcNow)).Request!;

        var answer = await factory.ProviderA.SubmitFhirOkAsync(DtrBundles.Write(request, DateTimeOffset.UtcNow));

        var response = ClaimResponseOf(answer);
        Assert.Equal([(string)json["x12ReviewAction"]!], response.ReviewActions());
        var stored = await factory.ProviderA.GetOkAsync($"/v1/authorizations/{response.PreAuthRef}");
        foreach (var field in new[] { "decision", "status", "denialKind", "x12ReviewAction", "authorized", "missingDocumentation" })
            Assert.True(JsonNode.DeepEquals(json[field], stored[field]), $"{name}: {field} {json[field]} through /v1, {stored[field]} through $submit with DTR");
        Assert.Equal(json.Codes(), stored.Codes());
        AssertValid(answer);
    }
}

/// <summary>$submit of an IVIG request missing facts the contract requires: stored pended (A4) with what is missing named, never a 400.</summary>
public sealed class FhirMissingFactsTests(MgAuthFactory factory) : IClassFixture<MgAuthFactory>
{
    private static Hl7.Fhir.Model.Bundle WithoutQuestionnaire(string name)
    {
        var request = RequestReader.Read(Examples.ForNewMember(name).ToJsonString(), DateOnly.FromDateTime(DateTime.UtcNow)).Request!;
        return DtrBundles.WithQuestionnaire(MgAuth.Fhir.PasRequestWriter.Write(request, DateTimeOffset.UtcNow), null);
    }

    [Fact]
    public async Task Standard_codes_without_the_questionnaire_are_stored_pended_with_a_CommunicationRequest_naming_each_missing_fact()
    {
        var before = factory.CountAll();

        var answer = await factory.ProviderA.SubmitFhirOkAsync(WithoutQuestionnaire(Examples.Exacerbation));

        var response = ClaimResponseOf(answer);
        Assert.All(response.ReviewActions(), code => Assert.Equal("A4", code));
        Assert.Equal(before.PasRequests + 1, factory.CountAll().PasRequests);
        Assert.Equal(1, factory.ScalarLong("SELECT COUNT(*) FROM pas_requests WHERE id = @id AND organization_id = @org",
            ("@id", response.Id()), ("@org", TestKeys.OrgA)));
        var reference = Assert.Single(response.CommunicationRequest).Reference;
        var asked = Assert.IsType<Hl7.Fhir.Model.CommunicationRequest>(answer.Entry.Single(e => e.FullUrl == reference).Resource);
        var named = asked.Payload.Select(p => (p.Content as Hl7.Fhir.Model.FhirString)?.Value).OfType<string>().ToArray();
        foreach (var field in new[] { "indication", "diagnosis.mgfaClass", "regimen.infusionDays", "priorTherapies[0].outcome" })
            Assert.Contains(named, text => text.StartsWith(field + ":", StringComparison.Ordinal) && text.Contains(MgAuth.Fhir.DtrQuestionnaire.Url, StringComparison.Ordinal));
        Assert.Contains(asked.Payload, p => p.Content is Hl7.Fhir.Model.Attachment { Url: MgAuth.Fhir.DtrQuestionnaire.Url });
        AssertValid(answer);
    }

    [Fact]
    public async Task A_bad_value_is_still_a_400_and_a_request_without_its_member_is_never_pended()
    {
        var bad = WithoutQuestionnaire(Examples.Exacerbation);
        var order = bad.Entry.Select(e => e.Resource).OfType<Hl7.Fhir.Model.MedicationRequest>().First(m => m.Intent == Hl7.Fhir.Model.MedicationRequest.MedicationRequestIntent.Order);
        order.DosageInstruction[0].DoseAndRate[0].Dose = new Hl7.Fhir.Model.Quantity { Value = 30, Code = "mL", System = "http://unitsofmeasure.org" };
        var anonymous = WithoutQuestionnaire(Examples.Exacerbation);
        var patient = anonymous.Entry.Select(e => e.Resource).OfType<Hl7.Fhir.Model.Patient>().Single();
        patient.BirthDate = null;
        var before = factory.CountAll();

        using var badValue = await factory.ProviderA.PostFhirAsync(Submit, Json(bad));
        using var noMember = await factory.ProviderA.PostFhirAsync(Submit, Json(anonymous));

        Assert.Equal(HttpStatusCode.BadRequest, badValue.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, noMember.StatusCode);
        Assert.Equal(before.PasRequests, factory.CountAll().PasRequests);
    }
}
