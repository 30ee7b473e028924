using Hl7.Fhir.Model;
using MgAuth.Api.Review;
using MgAuth.Cases.Data;
using MgAuth.Cases.Decisions;
using MgAuth.Cases.Review;
using MgAuth.Domain.Decisions;
using MgAuth.Domain.Requests;
using MgAuth.Fhir;

namespace MgAuth.Api.Fhir;

/// <summary>
/// A stored case's current state — a reviewer's determination included — as the PAS response Bundle answering the
/// request Bundle it came in (or, for a case sent as contract JSON, the Bundle its request maps to). What
/// Claim/$inquire returns and what a subscription notification carries.
/// </summary>
public sealed class PasAnswers(AuthorizationStore store, CaseDecisions cases, PasRequestStore requests, TimeProvider clock)
{
    /// <param name="view">What the reader may see of the decision (the provider's view withholds other organizations' records).</param>
    public async Task<Bundle?> CurrentAsync(string id, Func<CaseDecision, CaseDecision> view, CancellationToken cancellationToken = default) =>
        await CurrentAsync(id, await requests.FindAsync(id, cancellationToken), view, cancellationToken);

    /// <inheritdoc cref="CurrentAsync(string, Func{CaseDecision, CaseDecision}, CancellationToken)"/>
    public async Task<Bundle?> CurrentAsync(string id, PasRequestRow? pas, Func<CaseDecision, CaseDecision> view, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var request = pas is not null ? PasRequestReader.BundleOf(pas.BundleJson) : null;
        if (pas?.Service == PasRequestStore.OtherService)
            return request is null ? null : PasResponseWriter.WriteManualReview(request, id, now);

        var row = await store.FindAsync(id, cancellationToken);
        if (row is null || await cases.CurrentAsync(row, cancellationToken) is not { } decision) return null;
        request ??= await RequestBundleAsync(row, decision.Decision.AsOf, cancellationToken);
        return request is null ? null : Write(view(decision), request, now);
    }

    /// <summary>A case's decision as the PAS response to <paramref name="request"/>: preAuthRef its id, a person's determination marked.</summary>
    public static Bundle Write(CaseDecision stored, Bundle request, DateTimeOffset created) =>
        PasResponseWriter.Write(stored.Decision, stored.AuthorizationId, stored.Determination, request, created);

    private async Task<Bundle?> RequestBundleAsync(AuthorizationRow row, DateOnly asOf, CancellationToken cancellationToken)
    {
        var revision = await store.RevisionAsync(row.Id, row.Revision, cancellationToken);
        var read = revision is null ? null : RequestReader.Read(revision.RequestJson, asOf);
        return read?.Request is { } request ? PasRequestWriter.Write(request, row.ReceivedAt) : null;
    }
}
