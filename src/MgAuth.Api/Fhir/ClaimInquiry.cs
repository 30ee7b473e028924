using Hl7.Fhir.Model;
using Task = System.Threading.Tasks.Task;
using MgAuth.Api.Authorizations;
using MgAuth.Api.Review;
using MgAuth.Api.Security;
using MgAuth.Cases.Authorizations;
using MgAuth.Cases.Data;
using MgAuth.Cases.Review;
using MgAuth.Cases.Security;
using MgAuth.Domain.Requests;
using MgAuth.Fhir;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MgAuth.Api.Fhir;

/// <summary>
/// Claim/$inquire: finds the request an inquiry Bundle identifies (by its authorization id, else by the original
/// Claim's identifier and, as PAS's query by example compares them, the member, provider, service and service dates
/// the inquiry gives: <see cref="ClaimExample"/>) among the cases the caller may see, and answers its state as it stands — a reviewer's
/// determination included — as a PAS response Bundle in a Parameters (<c>return</c>, 0..1). Another organization's
/// case answers exactly as a case that does not exist: no <c>return</c>.
/// </summary>
internal sealed class ClaimInquiry(AuthorizationStore store, PasRequestStore requests, PasAnswers answers, TimeProvider clock)
{
    public async Task<Results<FhirResponse<Parameters>, FhirResponse<OperationOutcome>>> InquireAsync(string json, Caller caller,
        CancellationToken cancellationToken)
    {
        var inquiry = PasInquiryReader.Read(json);
        if (!inquiry.IsValid) return FhirResponse.Problems(StatusCodes.Status400BadRequest, inquiry.Problems);

        // An id of its own: Firely's strict parser, as an EHR may use it, refuses a resource with no element at all.
        var answer = new Parameters { Id = Guid.NewGuid().ToString("D") };
        if (await FindAsync(inquiry, caller, cancellationToken) is { } found && await AnswerAsync(found, caller, cancellationToken) is { } bundle)
            answer.Parameter.Add(new Parameters.ParameterComponent { Name = "return", Resource = bundle });
        return FhirResponse.Ok(answer);
    }

    private async Task<(string Id, PasRequestRow? Pas)?> FindAsync(PasInquiry inquiry, Caller caller, CancellationToken cancellationToken)
    {
        foreach (var id in inquiry.AuthorizationIds)
        {
            var pas = await requests.FindAsync(id, cancellationToken);
            var organization = pas?.OrganizationId ?? (await store.FindAsync(id, cancellationToken))?.OrganizationId;
            if (organization is not null && Tenancy.Visible.Admits(caller, organization)) return (id, pas);
        }
        // The identifier narrows; the member, provider, service and dates the inquiry gives tell apart requests sharing it.
        var scope = Roles.SeesAllOrganizations(caller.Role) ? null : caller.OrganizationId;
        var example = ClaimExample.Of(inquiry.Bundle!);
        foreach (var identifier in inquiry.ClaimIdentifiers)
            foreach (var pas in await requests.FindAllByClaimAsync(scope, identifier.System, identifier.Value!, cancellationToken))
                if (example.Admits(ClaimExample.Of(pas.BundleJson)))
                    return (pas.Id, pas);
        return null;
    }

    private async Task<Bundle?> AnswerAsync((string Id, PasRequestRow? Pas) found, Caller caller, CancellationToken cancellationToken)
    {
        if (found.Pas?.Service != PasRequestStore.OtherService && await store.FindAsync(found.Id, cancellationToken) is { } row)
            await store.AddViewedAsync(row, caller.Actor, "pas-inquiry", clock.GetUtcNow(), cancellationToken);
        return await answers.CurrentAsync(found.Id, found.Pas, decision => ProviderView.For(caller, decision), cancellationToken);
    }
}
