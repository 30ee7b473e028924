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
using MgAuth.Cases.Security;
using MgAuth.Fhir;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MgAuth.Api.Fhir;

/// <summary>
/// Claim/$submit: a PAS request Bundle read into the contract request and sent down the one path every request
/// travels (<see cref="AuthorizationService.SubmitAsync"/>: validation, history, decision, storage, the review
/// queue), its Bundle stored with the case; the decision answered as a PAS response Bundle. A well-formed request
/// for a service no MgAuth policy decides is stored pended for manual review and answered A4.
/// </summary>
internal sealed class ClaimSubmission(AuthorizationService authorizations, AuthorizationStore store, PasRequestStore requests, TimeProvider clock,
    ActiveRules active, PlanRouting plans)
{
    public async Task<Results<FhirResponse<Bundle>, FhirResponse<OperationOutcome>>> SubmitAsync(string json, Caller caller,
        string? idempotencyKey, CancellationToken cancellationToken)
    {
        // The value sets of the release in force read the Bundle's codes (a release from before value sets: the shipped ones).
        var valueSets = active.Current.ValueSets;
        var submission = PasRequestReader.Read(json, valueSets.All.IsEmpty ? null : new ValueSets(valueSets));
        if (submission.Kind == SubmissionKind.Invalid) return FhirResponse.Problems(StatusCodes.Status400BadRequest, submission.Problems);
        var bundle = submission.Bundle!;
        var identifier = submission.Claim!.Identifier.FirstOrDefault(i => !string.IsNullOrEmpty(i.Value));
        var stored = new PasBundle(identifier?.System, identifier?.Value, json);

        if (submission.Kind == SubmissionKind.OtherService) return await OtherServiceAsync(bundle, stored, caller, idempotencyKey, cancellationToken);

        // The member's plan chooses the policy through the plan table; an unknown plan is decided under the default policy.
        if (plans.PolicyFor(submission.Plan) is { } policy) submission.Request!["policyId"] = policy;
        // The contract object the Bundle was read into goes to the use case as it is: validated there, stored as its JSON text.
        var contract = JsonSerializer.SerializeToElement(submission.Request);
        var submitted = await authorizations.SubmitAsync(contract, caller.OrganizationId, caller.Actor, idempotencyKey, cancellationToken, stored);
        if (!submitted.IsRefused(out var refusal)) return Answer(submitted.Value.Decision, bundle);
        if (refusal.Kind == RefusalKind.IdempotencyKeyReused) return KeyReused();
        // Facts missing, nothing malformed: stored pended (A4) for the provider to complete, never a 400.
        if (MissingFacts.Of(refusal.Errors) is { } missing)
            return await OtherServiceAsync(bundle, stored, caller, idempotencyKey, cancellationToken, missing);
        return FhirResponse.Problems(StatusCodes.Status400BadRequest, submission.ProblemsOf(refusal.Errors));
    }

    // Stored pended for manual review; a retry with the same key and Bundle gets the first answer, another Bundle 422.
    // An IVIG request missing facts is stored the same way, its answer naming what is missing (a CommunicationRequest).
    private async Task<Results<FhirResponse<Bundle>, FhirResponse<OperationOutcome>>> OtherServiceAsync(Bundle bundle, PasBundle stored, Caller caller,
        string? idempotencyKey, CancellationToken cancellationToken, IReadOnlyList<string>? missing = null)
    {
        var sha = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(stored.Json)));
        if (idempotencyKey is not null && await EarlierAsync(caller.OrganizationId, idempotencyKey, sha, bundle, cancellationToken) is { } earlier)
            return earlier;
        var receivedAt = clock.GetUtcNow();
        var id = AuthorizationService.NewId(receivedAt);
        if (!await requests.InsertOtherServiceAsync(id, caller.OrganizationId, receivedAt, stored, idempotencyKey, sha, cancellationToken))
            return await EarlierAsync(caller.OrganizationId, idempotencyKey!, sha, bundle, cancellationToken) ?? KeyReused();
        var answer = PasResponseWriter.WriteManualReview(bundle, id, receivedAt);
        return FhirResponse.Ok(missing is null ? answer : MissingFacts.Attach(answer, missing, receivedAt));
    }

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

    // What a provider reads of the decision (another organization's history withheld), as PAS.
    private FhirResponse<Bundle> Answer(CaseDecision decision, Bundle request) =>
        FhirResponse.Ok(PasAnswers.Write(ProviderView.Of(decision), request, decision.ReceivedAt ?? clock.GetUtcNow()));
}
