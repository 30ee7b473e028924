using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Hl7.Fhir.Model;
using Task = System.Threading.Tasks.Task;
using MgAuth.Api.Authorizations;
using MgAuth.Api.Security;
using MgAuth.Cases;
using MgAuth.Cases.Authorizations;
using MgAuth.Cases.Data;
using MgAuth.Cases.Decisions;
using MgAuth.Cases.Releases;
using MgAuth.Cases.Review;
using MgAuth.Cases.Security;
using MgAuth.Fhir;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MgAuth.Api.Fhir;

/// <summary>
/// Claim/$submit: a PAS request Bundle read into the contract request and sent down the one path every request
/// travels (<see cref="AuthorizationService.SubmitAsync"/>: validation, history, decision, storage, the review
/// queue), its Bundle stored with the case; the decision answered as a PAS response Bundle. A request missing facts the
/// contract requires is a case too, pended (A4) by the reason naming them, answered with a CommunicationRequest asking
/// for them; the Claim update that brings them decides the same case. A well-formed request for a service no MgAuth
/// policy decides is stored pended for manual review and answered A4.
/// </summary>
internal sealed class ClaimSubmission(AuthorizationService authorizations, AuthorizationStore store, PasRequestStore requests, TimeProvider clock,
    ActiveRules active, PlanRouting plans, CaseDecisions cases)
{
    public async Task<Results<FhirResponse<Bundle>, FhirResponse<OperationOutcome>>> SubmitAsync(string json, Caller caller,
        string? idempotencyKey, CancellationToken cancellationToken)
    {
        // The value sets of the release in force read the Bundle's codes (a release from before value sets: the shipped ones).
        var valueSets = active.Current.ValueSets;
        var terminology = valueSets.All.IsEmpty ? ValueSets.Shipped : new ValueSets(valueSets);
        var submission = PasRequestReader.Read(json, terminology);
        if (submission.Kind == SubmissionKind.Invalid) return FhirResponse.Problems(StatusCodes.Status400BadRequest, submission.Problems);
        var bundle = submission.Bundle!;
        var identifier = submission.Claim!.Identifier.FirstOrDefault(i => !string.IsNullOrEmpty(i.Value));
        var stored = new PasBundle(identifier?.System, identifier?.Value, json);

        if (submission.Kind == SubmissionKind.OtherService)
            return await OtherServiceAsync(bundle, stored, caller, idempotencyKey, cancellationToken);

        // The member's plan chooses the policy through the plan table; an unknown plan is decided under the default policy.
        if (plans.PolicyFor(submission.Plan) is { } policy) submission.Request!["policyId"] = policy;
        // The contract object the Bundle was read into goes to the use case as it is: validated there, stored as its JSON text.
        var contract = JsonSerializer.SerializeToElement(submission.Request);
        // A Claim update (Claim.related, prior) re-decides the case it names: the same case, its next revision.
        if (ClaimUpdate.PriorOf(submission.Claim) is { Count: > 0 } prior)
        {
            if (await PriorCaseAsync(prior, caller.OrganizationId, cancellationToken) is not var (priorId, priorService)) return UnknownPrior();
            // A request stored for manual review (no case the engine decides) is not re-decided: the update is decided as a new request.
            if (priorService != PasRequestStore.OtherService)
                return await UpdateAsync(priorId, contract, submission, bundle, caller, terminology, cancellationToken);
        }
        // Facts missing, nothing malformed: a case pended (A4) for the provider to complete, never a 400.
        var submitted = await authorizations.SubmitAsync(contract, caller.OrganizationId, caller.Actor, idempotencyKey, cancellationToken, stored,
            pendMissingFacts: true);
        if (!submitted.IsRefused(out var refusal)) return Answer(submitted.Value.Decision, bundle, terminology);
        if (refusal.Kind == RefusalKind.IdempotencyKeyReused) return KeyReused();
        return FhirResponse.Problems(StatusCodes.Status400BadRequest, submission.ProblemsOf(refusal.Errors));
    }

    // Stored pended for manual review; a retry with the same key and Bundle gets the first answer, another Bundle 422.
    private async Task<Results<FhirResponse<Bundle>, FhirResponse<OperationOutcome>>> OtherServiceAsync(Bundle bundle, PasBundle stored, Caller caller,
        string? idempotencyKey, CancellationToken cancellationToken)
    {
        var sha = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(stored.Json)));
        if (idempotencyKey is not null && await EarlierAsync(caller.OrganizationId, idempotencyKey, sha, bundle, cancellationToken) is { } earlier)
            return earlier;
        var receivedAt = clock.GetUtcNow();
        var id = AuthorizationService.NewId(receivedAt);
        if (!await requests.InsertOtherServiceAsync(id, caller.OrganizationId, receivedAt, stored, idempotencyKey, sha, cancellationToken))
            return await EarlierAsync(caller.OrganizationId, idempotencyKey!, sha, bundle, cancellationToken) ?? KeyReused();
        return FhirResponse.Ok(PasResponseWriter.WriteManualReview(bundle, id, receivedAt));
    }

    // The update decided again as the case's next revision. A case no longer pended is refused as a supplement to it is
    // (an OperationOutcome: PAS answers a request it cannot process so); facts still missing leave the case pended as it
    // stands, answered A4 with what is still missing.
    private async Task<Results<FhirResponse<Bundle>, FhirResponse<OperationOutcome>>> UpdateAsync(string id, JsonElement contract,
        PasSubmission submission, Bundle bundle, Caller caller, ValueSets terminology, CancellationToken cancellationToken)
    {
        var row = await store.FindAsync(id, cancellationToken);
        if (row is null) return UnknownPrior();
        if (AuthorizationService.SupplementRefusal(row) is { } notPended) return NotPended(notPended);
        var updated = await authorizations.UpdateAsync(row, contract, caller.Actor, cancellationToken);
        if (!updated.IsRefused(out var refusal)) return Answer(updated.Value, bundle, terminology);
        if (refusal.Kind is RefusalKind.NotPended or RefusalKind.CaseChanged) return NotPended(refusal);
        if (MissingFacts.Of(refusal.Errors) is { } missing && await cases.CurrentAsync(row, cancellationToken) is { } current)
        {
            var now = clock.GetUtcNow();
            return FhirResponse.Ok(MissingFacts.Attach(PasAnswers.Write(ProviderView.Of(current), bundle, now), missing, terminology, now));
        }
        return FhirResponse.Problems(StatusCodes.Status400BadRequest, submission.ProblemsOf(refusal.Errors));
    }

    // The case a Claim update names, among the caller's organization's only: by preAuthRef, else by the first Claim's
    // identifier. Another organization's case is not found, exactly as one that does not exist.
    private async Task<(string Id, string? Service)?> PriorCaseAsync(IReadOnlyList<Identifier> prior, string organizationId,
        CancellationToken cancellationToken)
    {
        foreach (var (system, value) in prior.Select(i => (i.System, Value: i.Value!)))
        {
            if (system == Systems.AuthorizationId || value.StartsWith("PA-", StringComparison.Ordinal))
            {
                var pas = await requests.FindAsync(value, cancellationToken);
                if (pas?.OrganizationId == organizationId) return (pas.Id, pas.Service);
                if (pas is null && await store.FindAsync(value, cancellationToken) is { } row && row.OrganizationId == organizationId)
                    return (row.Id, null);
            }
            if (await requests.FindByClaimAsync(organizationId, system, value, cancellationToken) is { } named)
                return (named.Id, named.Service);
        }
        return null;
    }

    private static FhirResponse<OperationOutcome> UnknownPrior() =>
        FhirResponse.Refused(StatusCodes.Status422UnprocessableEntity, OperationOutcome.IssueType.NotFound,
            "Claim.related names no request of yours: send the first Claim's identifier or the preAuthRef it was answered with, or submit a new request.");

    private static FhirResponse<OperationOutcome> NotPended(Refusal refusal) =>
        FhirResponse.Refused(StatusCodes.Status409Conflict, OperationOutcome.IssueType.BusinessRule, $"{refusal.Title}. {refusal.Detail}");

    private async Task<Results<FhirResponse<Bundle>, FhirResponse<OperationOutcome>>?> EarlierAsync(string organizationId, string key, string sha,
        Bundle bundle, CancellationToken cancellationToken)
    {
        if (await requests.FindByIdempotencyKeyAsync(organizationId, key, cancellationToken) is { } earlier)
            return earlier.RequestSha256 == sha
                ? FhirResponse.Ok(PasResponseWriter.WriteManualReview(bundle, earlier.Id, earlier.ReceivedAt))
                : KeyReused();
        // The key went with an IVIG request before: this one is another request.
        if (await store.FindByIdempotencyKeyAsync(organizationId, key, cancellationToken) is not null) return KeyReused();
        return null;
    }

    private static FhirResponse<OperationOutcome> KeyReused() =>
        FhirResponse.Refused(StatusCodes.Status422UnprocessableEntity, OperationOutcome.IssueType.Duplicate,
            "The Idempotency-Key was sent before with a different request; use a new key for a new request.");

    // What a provider reads of the decision (another organization's history withheld), as PAS; for a request missing facts
    // the contract requires, with the CommunicationRequest naming them (and the questionnaire items that answer them).
    private FhirResponse<Bundle> Answer(CaseDecision decision, Bundle request, ValueSets terminology)
    {
        var at = decision.ReceivedAt ?? clock.GetUtcNow();
        var answer = PasAnswers.Write(ProviderView.Of(decision), request, at);
        return FhirResponse.Ok(decision.Decision.IsIncomplete ? MissingFacts.Attach(answer, decision.Decision.MissingDocumentation, terminology, at) : answer);
    }
}
