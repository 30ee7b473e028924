using Hl7.Fhir.Model;

namespace MgAuth.Fhir.Tests;

/// <summary>
/// The validator and the kit's checks the response tests rely on do find errors: in core R4, in the PAS extensions
/// and profiles, in US Core, and in the kit's own rules.
/// </summary>
public class ValidationTests
{
    private static ClaimResponse Response(Bundle bundle) => Assert.IsType<ClaimResponse>(bundle.Entry[0].Resource);

    private static Bundle Approved()
    {
        var (request, decision) = Decisions.Decide("exacerbation");
        return PasResponseWriter.Write(decision, Decisions.Id, null, Fhir.Submit(request).Bundle!, DateTimeOffset.UnixEpoch);
    }

    [Fact]
    public void A_ClaimResponse_without_its_outcome_breaks_core_R4()
    {
        var bundle = Approved();
        Response(bundle).Outcome = null;

        Assert.Contains(FhirValidation.Errors(bundle), e => e.Contains("outcome", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void A_reviewAction_number_that_is_not_a_string_breaks_the_PAS_extension()
    {
        var bundle = Approved();
        var reviewAction = Response(bundle).Item[0].Adjudication[0].GetExtension(PasExtensions.ReviewAction)!;
        reviewAction.GetExtension("number")!.Value = new Integer(7);

        Assert.NotEmpty(FhirValidation.Errors(bundle));
    }

    [Fact]
    public void The_guide_s_extension_and_profile_definitions_are_all_resolved()
    {
        var bundle = Approved();

        var unresolved = FhirValidation.Issues(bundle, PasKit.ResponseBundle)
            .Where(i => i.Contains("resolve", StringComparison.OrdinalIgnoreCase) && !i.Contains("Terminology service", StringComparison.Ordinal)).ToArray();
        Assert.True(unresolved.Length == 0, string.Join("\n", unresolved));
    }

    [Fact]
    public void An_authorized_quantity_in_UCUM_grams_breaks_the_kit_s_quantity_rule()
    {
        var bundle = Approved();
        var detail = Response(bundle).Item[0].GetExtension(PasExtensions.ItemAuthorizedDetail)!;
        detail.GetExtension("quantity")!.Value = PasRequestWriter.Grams(140);

        Assert.Contains(PasKit.SubmitResponseErrors(bundle), e => e.Contains("prof-3", StringComparison.Ordinal));
    }

    [Fact]
    public void A_response_whose_coverage_is_left_out_breaks_the_reference_check()
    {
        var bundle = Approved();
        bundle.Entry.RemoveAll(e => e.Resource is Coverage);

        Assert.Contains(PasKit.SubmitResponseErrors(bundle), e => e.Contains("SHALL appear exactly once", StringComparison.Ordinal));
    }

    [Fact]
    public void A_request_whose_Patient_has_no_name_breaks_US_Core()
    {
        var bundle = PasRequestWriter.Write(Examples.Request("exacerbation"), DateTimeOffset.UnixEpoch);
        bundle.Entry.Select(e => e.Resource).OfType<Patient>().Single().Name.Clear();

        Assert.NotEmpty(PasKit.SubmitRequestErrors(bundle));
    }

    [Fact]
    public void A_request_whose_line_has_no_place_of_service_breaks_the_PAS_Claim()
    {
        var bundle = PasRequestWriter.Write(Examples.Request("exacerbation"), DateTimeOffset.UnixEpoch);
        ((Claim)bundle.Entry[0].Resource!).Item[0].Location = null;

        Assert.Contains(FhirValidation.Errors(bundle.Entry[0].Resource!, PasKit.Claim), e => e.Contains("location", StringComparison.Ordinal));
    }

    [Fact]
    public void A_request_fullUrl_that_is_not_a_version_4_uuid_breaks_the_kit_s_fullUrl_check()
    {
        var bundle = PasRequestWriter.Write(Examples.Request("exacerbation"), DateTimeOffset.UnixEpoch);
        bundle.Entry[^1].FullUrl = "urn:uuid:00000000-0000-0000-0000-000000000000";

        Assert.Contains(PasKit.SubmitRequestErrors(bundle), e => e.Contains("fullUrl", StringComparison.Ordinal));
    }
}
