using System.Text.Json.Nodes;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Hl7.Fhir.Utility;
using MgAuth.Domain.Decisions;
using MgAuth.Domain.Policies;

namespace MgAuth.Fhir.Tests;

/// <summary>
/// The Da Vinci PAS test kit's server checks (v2.2.1) on what the facade writes, each test named after the kit test
/// it replays (inferno-framework/davinci-pas-test-kit, server/generated/v2.2.1): the response Bundles of the
/// approval, denial and pended workflows (and the modified, reviewed and manual-review answers beside them), the
/// decision code each carries, the <c>$inquire</c> answer, and the request Bundles <c>mgauth fhir bundle</c> writes.
/// The checks through the HTTP endpoint (the error test, the guide's examples) are in MgAuth.Api.Tests.
/// </summary>
public class PasServerChecks
{
    private static readonly DateTimeOffset Created = new(2026, 11, 22, 9, 31, 0, TimeSpan.Zero);

    // What a client receives: the Bundle as JSON, read back strictly.
    private static Bundle Reparse(Bundle bundle) => new FhirJsonDeserializer(new DeserializerSettings()).Deserialize<Bundle>(Fhir.Json(bundle));

    private static (Decision Decision, Bundle Response) Respond(string example, Action<JsonObject>? edit = null, Func<Decision, (Decision, Determination?)>? determine = null)
    {
        var (request, decision) = Decisions.Decide(example, edit);
        var submitted = Fhir.Submit(request);
        var (final, determination) = determine?.Invoke(decision) ?? (decision, null);
        return (final, Reparse(PasResponseWriter.Write(final, Decisions.Id, determination, submitted.Bundle!, Created)));
    }

    private static (Decision, Determination?) DeniedByAClinician(Decision decision) => Decisions.DeniedByAClinician(decision, Created);

    private static void AssertConformant(IReadOnlyList<string> errors) => Assert.True(errors.Count == 0, string.Join("\n", errors));

    private static string DecisionCode(Bundle response) =>
        Assert.Single(Assert.Single(Assert.IsType<ClaimResponse>(response.Entry[0].Resource).Item).Adjudication)
            .GetExtension(PasExtensions.ReviewAction)!.GetExtension(PasExtensions.ReviewActionCode)!.Value is CodeableConcept code
            && code.Coding.Single() is { System: Systems.X12ReviewAction } coding ? coding.Code ?? "none" : "none";

    [Fact]
    public void pas_server_v221_pas_response_bundle_validation_test_approval()
    {
        var (decision, response) = Respond("exacerbation");

        Assert.Equal(ReviewAction.CertifiedInTotal, decision.X12ReviewAction);
        AssertConformant(PasKit.SubmitResponseErrors(response));
    }

    [Fact]
    public void pas_server_v221_pas_response_bundle_validation_test_approval_modified()
    {
        var (decision, response) = Respond("refractory-maintenance", r => r["regimen"]!["cycles"] = 8);

        Assert.Equal(ReviewAction.Modified, decision.X12ReviewAction);
        AssertConformant(PasKit.SubmitResponseErrors(response));
    }

    [Fact]
    public void pas_server_v221_pas_response_bundle_validation_test_denial()
    {
        var (administrative, response) = Respond("exacerbation", r => r["diagnosis"]!["icd10"] = "G61.0");
        var (_, reviewed) = Respond("over-ceiling", determine: DeniedByAClinician);

        Assert.Equal(ReviewAction.NotCertified, administrative.X12ReviewAction);
        AssertConformant(PasKit.SubmitResponseErrors(response));
        AssertConformant(PasKit.SubmitResponseErrors(reviewed));
    }

    [Fact]
    public void pas_server_v221_pas_response_bundle_validation_test_pended()
    {
        var (missing, pendedForDocuments) = Respond("pre-thymectomy", r => r["plannedSurgery"]!.AsObject().Remove("date"));
        var (review, pendedForReview) = Respond("over-ceiling");

        Assert.Equal((ReviewAction.Pended, ReviewAction.Pended), (missing.X12ReviewAction, review.X12ReviewAction));
        AssertConformant(PasKit.SubmitResponseErrors(pendedForDocuments));
        AssertConformant(PasKit.SubmitResponseErrors(pendedForReview));
    }

    [Fact]
    public void pas_server_v221_decision_validation_test_approval() => Assert.Equal("A1", DecisionCode(Respond("exacerbation").Response));

    [Fact]
    public void pas_server_v221_decision_validation_test_denial() => Assert.Equal("A3", DecisionCode(Respond("over-ceiling", determine: DeniedByAClinician).Response));

    [Fact]
    public void pas_server_v221_decision_validation_test_pended() => Assert.Equal("A4", DecisionCode(Respond("over-ceiling").Response));

    /// <summary>The <c>$inquire</c> answer is the same Bundle, judged against the inquiry response profiles.</summary>
    [Fact]
    public void pas_server_v221_inquire_response_bundle_validation_test_must_support()
    {
        var (_, response) = Respond("exacerbation");

        AssertConformant(PasKit.InquireResponseErrors(response));
    }

    /// <summary>The kit's user-input check, on what <c>mgauth fhir bundle</c> writes for every held example.</summary>
    [Theory]
    [MemberData(nameof(Examples.Names), MemberType = typeof(Examples))]
    public void pas_server_v221_pas_request_bundle_validation_test(string example)
    {
        var bundle = PasRequestWriter.Write(Examples.Request(example), Created);

        AssertConformant(PasKit.SubmitRequestErrors(Reparse(bundle)));
    }

    /// <summary>The guide's own requests, answered as manual review: each answer passes the response checks.</summary>
    [Theory]
    [MemberData(nameof(PackageExampleTests.Bundles), MemberType = typeof(PackageExampleTests))]
    public void pas_server_v221_pas_response_bundle_validation_test_pended_guide_example(string file)
    {
        var request = PasRequestReader.Read(File.ReadAllText(Path.Combine(FhirValidation.PackageFolder, "examples", file)), ValueSets.Shipped).Bundle!;

        var response = Reparse(PasResponseWriter.WriteManualReview(request, "PA-TEST-0002", Created));

        AssertConformant(PasKit.SubmitResponseErrors(response));
    }

    /// <summary>
    /// A line naming no coded service cannot be reviewed: it is answered in ClaimResponse.error, the rest pended, and
    /// the answer still passes the response checks (outcome partial; error when no line is left).
    /// </summary>
    [Theory]
    [InlineData(0, "partial")]
    [InlineData(1, "partial")]
    public void pas_server_v221_pas_response_bundle_validation_test_line_error(int line, string outcome)
    {
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(FhirValidation.PackageFolder, "examples", "Bundle-HomecareAuthorizationBundleExample.json")))!;
        json["entry"]![0]!["resource"]!["item"]![line]!["productOrService"] = new JsonObject { ["text"] = "home visits, as discussed" };
        var request = PasRequestReader.Read(json.ToJsonString(), ValueSets.Shipped).Bundle!;

        var response = Reparse(PasResponseWriter.WriteManualReview(request, "PA-TEST-0003", Created));

        var claimResponse = Assert.IsType<ClaimResponse>(response.Entry[0].Resource);
        var error = Assert.Single(claimResponse.Error);
        var item = ((Claim)request.Entry[0].Resource!).Item[line];
        Assert.Equal(item.Sequence, error.ItemSequence);
        Assert.Equal(("https://codesystem.x12.org/005010/901", "AG"), (error.Code.Coding[0].System, error.Code.Coding[0].Code));
        Assert.Equal($"Claim.item[{line}].productOrService", error.GetExtensionValue<FhirString>(PasExtensions.ErrorPath).Value);
        Assert.DoesNotContain(claimResponse.Item, i => i.ItemSequence == item.Sequence);
        Assert.Equal(outcome, claimResponse.Outcome?.GetLiteral());
        AssertConformant(PasKit.SubmitResponseErrors(response));
    }

    [Fact]
    public void A_request_whose_only_line_names_no_coded_service_is_an_error_outcome()
    {
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(FhirValidation.PackageFolder, "examples", "Bundle-ReferralAuthorizationBundleExample.json")))!;
        json["entry"]![0]!["resource"]!["item"]![0]!["productOrService"] = new JsonObject { ["text"] = "a consultation" };
        var request = PasRequestReader.Read(json.ToJsonString(), ValueSets.Shipped).Bundle!;

        var response = Reparse(PasResponseWriter.WriteManualReview(request, "PA-TEST-0004", Created));

        var claimResponse = Assert.IsType<ClaimResponse>(response.Entry[0].Resource);
        Assert.Equal((ClaimProcessingCodes.Error, 0, 1), (claimResponse.Outcome, claimResponse.Item.Count, claimResponse.Error.Count));
        AssertConformant(PasKit.SubmitResponseErrors(response));
    }
}
