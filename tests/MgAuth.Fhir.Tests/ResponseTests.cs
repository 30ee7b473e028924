using System.Text.Json.Nodes;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using MgAuth.Domain.Decisions;
using MgAuth.Domain.Policies;

namespace MgAuth.Fhir.Tests;

/// <summary>PAS response Bundles for real decisions: what each carries, and that each is valid R4.</summary>
public class ResponseTests
{
    private static readonly DateTimeOffset Created = new(2026, 11, 22, 9, 31, 0, TimeSpan.Zero);

    private static (Decision Decision, Bundle Request, ClaimResponse Response, Bundle Bundle) Respond(string example, Action<JsonObject>? edit = null)
    {
        var (request, decision) = Decisions.Decide(example, edit);
        var submitted = Fhir.Submit(request);
        Assert.Equal(SubmissionKind.Ivig, submitted.Kind);
        var bundle = Reparse(PasResponseWriter.Write(decision, Decisions.Id, null, submitted.Bundle!, Created));
        return (decision, submitted.Bundle!, Assert.IsType<ClaimResponse>(bundle.Entry[0].Resource), bundle);
    }

    // What a client receives: the Bundle as JSON, read back strictly.
    private static Bundle Reparse(Bundle bundle) => new FhirJsonDeserializer(new DeserializerSettings()).Deserialize<Bundle>(Fhir.Json(bundle));

    private static Extension ReviewAction(ClaimResponse response) =>
        Assert.Single(Assert.Single(response.Item).Adjudication).GetExtension(PasExtensions.ReviewAction)!;

    private static string? Sub(Extension reviewAction, string url) =>
        (reviewAction.GetExtension(url)?.Value as CodeableConcept)?.Coding.Single().Code
        ?? (reviewAction.GetExtension(url)?.Value as FhirString)?.Value;

    private static void AssertValid(Bundle bundle)
    {
        var errors = FhirValidation.Errors(bundle);
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Fact]
    public void An_approval_is_certified_in_total_with_its_number_period_and_authorized_grams()
    {
        var (decision, request, response, bundle) = Respond("exacerbation");

        Assert.Equal("A1", decision.X12ReviewAction);
        Assert.Equal(ClaimProcessingCodes.Complete, response.Outcome);
        Assert.Equal("PA-TEST-0001", response.PreAuthRef);
        Assert.Equal(request.Entry[0].FullUrl, response.Request!.Reference);
        var action = ReviewAction(response);
        Assert.Equal("A1", Sub(action, PasExtensions.ReviewActionCode));
        Assert.Equal("PA-TEST-0001", Sub(action, "number"));
        Assert.Null(action.GetExtension("reasonCode"));
        var authorized = decision.Authorized!;
        var item = response.Item[0];
        Assert.Equal(1, item.ItemSequence);
        var period = Assert.IsType<Period>(item.GetExtension(PasExtensions.ItemPreAuthPeriod)!.Value);
        Assert.Equal((FhirDates.Text(authorized.ValidFrom), FhirDates.Text(authorized.ValidThrough)), (period.Start, period.End));
        Assert.Equal((period.Start, period.End), (response.PreAuthPeriod!.Start, response.PreAuthPeriod.End));
        var quantity = Assert.IsType<Quantity>(item.GetExtension(PasExtensions.ItemAuthorizedDetail)!.GetExtension("quantity")!.Value);
        // PAS counts in X12 673 units: HCPCS billing units of 500 mg.
        Assert.Equal((authorized.TotalGrams * 2, Systems.X12QuantityQualifier, "FL"), (quantity.Value, quantity.System, quantity.Code));
        Assert.Equal(decision.Reasons.Select(r => $"{r.Message} ({r.Code}, {r.PolicyRef})"), response.ProcessNote.Take(decision.Reasons.Count).Select(n => n.Text));
        Assert.Contains(response.ProcessNote, n => n.Text!.StartsWith("Authorized: 1 course(s)", StringComparison.Ordinal));
        AssertValid(bundle);
    }

    [Fact]
    public void A_final_administrative_denial_is_not_certified_as_a_non_covered_service()
    {
        var (decision, _, response, bundle) = Respond("exacerbation", r => r["diagnosis"]!["icd10"] = "G61.0");

        Assert.Equal((CaseStatus.Denied, DenialKind.Administrative, "A3"), (decision.Status, decision.DenialKind, decision.X12ReviewAction));
        var action = ReviewAction(response);
        Assert.Equal("A3", Sub(action, PasExtensions.ReviewActionCode));
        Assert.Equal(ReviewActions.NonCoveredService, Sub(action, "reasonCode"));
        Assert.Null(response.PreAuthPeriod);
        Assert.Null(response.Item[0].GetExtension(PasExtensions.ItemAuthorizedDetail));
        Assert.Contains(response.ProcessNote, n => n.Text!.Contains("DIAGNOSIS_NOT_COVERED", StringComparison.Ordinal));
        AssertValid(bundle);
    }

    [Fact]
    public void A_medical_necessity_denial_awaiting_a_clinician_is_pended_not_refused()
    {
        var (decision, _, response, bundle) = Respond("over-ceiling");

        Assert.Equal((Outcome.Deny, CaseStatus.Pended, "A4"), (decision.Outcome, decision.Status, decision.X12ReviewAction));
        var action = ReviewAction(response);
        Assert.Equal("A4", Sub(action, PasExtensions.ReviewActionCode));
        Assert.Equal(ReviewActions.RequiresMedicalReview, Sub(action, "reasonCode"));
        Assert.Null(response.PreAuthPeriod);
        Assert.Contains(response.ProcessNote, n => n.Text!.Contains("DOSE_ABOVE_COURSE_CEILING", StringComparison.Ordinal));
        Assert.Contains(response.ProcessNote, n => n.Text!.StartsWith("Pended for review by a clinician", StringComparison.Ordinal));
        AssertValid(bundle);
    }

    [Fact]
    public void A_pend_for_missing_documentation_names_what_to_send_and_where()
    {
        var (decision, _, response, bundle) = Respond("pre-thymectomy", r => r["plannedSurgery"]!.AsObject().Remove("date"));

        Assert.Equal("A4", decision.X12ReviewAction);
        Assert.Equal(["plannedSurgery.date"], decision.MissingDocumentation);
        Assert.Equal(ReviewActions.AdditionalPatientInformationRequired, Sub(ReviewAction(response), "reasonCode"));
        var note = Assert.Single(response.ProcessNote, n => n.Text!.StartsWith("Missing documentation", StringComparison.Ordinal));
        Assert.Contains("plannedSurgery.date", note.Text);
        Assert.Contains("ServiceRequest.occurrenceDateTime", note.Text);
        AssertValid(bundle);
    }

    [Fact]
    public void A_maintenance_approval_capped_at_the_plan_s_longest_period_is_modified()
    {
        var (decision, _, response, bundle) = Respond("refractory-maintenance", r => r["regimen"]!["cycles"] = 8);

        Assert.Equal("A6", decision.X12ReviewAction);
        var action = ReviewAction(response);
        Assert.Equal("A6", Sub(action, PasExtensions.ReviewActionCode));
        Assert.Equal(ReviewActions.ExceedsPlanMaximums, Sub(action, "reasonCode"));
        var quantity = Assert.IsType<Quantity>(response.Item[0].GetExtension(PasExtensions.ItemAuthorizedDetail)!.GetExtension("quantity")!.Value);
        Assert.Equal(decision.Authorized!.TotalGrams * 2, quantity.Value);
        Assert.True(decision.Authorized.TotalGrams < decision.Requested!.CourseGrams * 8);
        AssertValid(bundle);
    }

    [Fact]
    public void A_clinician_s_denial_is_not_certified_as_not_medically_necessary_and_marked_human_reviewed()
    {
        var (decision, request, _, _) = Respond("over-ceiling");
        var (determined, determination) = Decisions.DeniedByAClinician(decision, Created);

        var bundle = Reparse(PasResponseWriter.Write(determined, Decisions.Id, determination, request, Created));

        var response = Assert.IsType<ClaimResponse>(bundle.Entry[0].Resource);
        var action = ReviewAction(response);
        Assert.Equal("A3", Sub(action, PasExtensions.ReviewActionCode));
        Assert.Equal(ReviewActions.NotMedicallyNecessary, Sub(action, "reasonCode"));
        var reviewer = response.GetExtension(PasExtensions.ClaimResponseReviewer)!;
        Assert.Equal(true, (reviewer.GetExtension("wasHumanReviewedFlag")!.Value as FhirBoolean)?.Value);
        Assert.StartsWith("Clinician determination (deny): The course exceeds", response.ProcessNote[0].Text);
        AssertValid(bundle);
    }

    [Fact]
    public void The_response_Bundle_holds_the_ClaimResponse_first_then_the_Claim_and_what_it_refers_to()
    {
        var (_, request, response, bundle) = Respond("exacerbation");

        Assert.Equal(Bundle.BundleType.Collection, bundle.Type);
        Assert.NotNull(bundle.Identifier?.Value);
        Assert.NotNull(bundle.Timestamp);
        Assert.All(bundle.Entry, e => Assert.False(string.IsNullOrEmpty(e.FullUrl)));
        Assert.IsType<Claim>(bundle.Entry[1].Resource);
        var urls = bundle.Entry.Select(e => e.FullUrl).ToArray();
        Assert.Contains(response.Patient!.Reference, urls);
        Assert.Contains(response.Insurer!.Reference, urls);
        Assert.Contains(response.Requestor!.Reference, urls);
        Assert.Contains(response.Request!.Reference, urls);
        Assert.Equal(request.Entry.Count, Fhir.Submit(Decisions.Decide("exacerbation").Request).Bundle!.Entry.Count);
    }

    [Fact]
    public void A_request_Bundle_written_from_a_contract_request_is_valid_R4()
    {
        foreach (var name in Examples.Files.Select(Path.GetFileNameWithoutExtension))
            AssertValid(PasRequestWriter.Write(Examples.Request(name!), Created));
    }
}
