using Hl7.Fhir.Model;

namespace MgAuth.Fhir.Tests;

/// <summary>The validator the response tests rely on does find errors, in core R4 and in the PAS extensions.</summary>
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

    // requestedService alone stays unchecked: its target profiles (PAS MedicationRequest, …) rest on US Core.
    [Fact]
    public void The_PAS_extension_definitions_are_resolved_not_skipped()
    {
        var bundle = Approved();

        var unresolved = FhirValidation.Issues(bundle).Where(i => i.Contains("Unable to resolve", StringComparison.Ordinal)).ToArray();
        Assert.True(unresolved.All(i => i.Contains(PasExtensions.RequestedService, StringComparison.Ordinal)), string.Join("\n", unresolved));
    }
}
