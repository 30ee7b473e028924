using MgAuth.Api.Infrastructure;
using MgAuth.Api.Security;
using MgAuth.Cases;
using MgAuth.Cases.Data;
using MgAuth.Domain.Decisions;
using MgAuth.Domain.Requests;
using MgAuth.Cases.Security;

namespace MgAuth.Api.Authorizations;

/// <summary>
/// The audit of every decision made without storing (POST /v1/evaluate, the CRD order-sign hook): who asked, for which
/// organization, when, with what answer. Written before the answer goes out; an audit that cannot be written fails the call.
/// </summary>
public sealed class EvaluationAudit(EvaluationLog log, TimeProvider clock)
{
    /// <summary>An evaluation as answered: the decision with 200, or the refusal with its status.</summary>
    public Task RecordAsync(Caller caller, Refusable<Decision> evaluated) => evaluated.IsRefused(out var refusal)
        ? RecordAsync(caller, Problems.StatusOf(refusal), null)
        : RecordAsync(caller, StatusCodes.Status200OK, evaluated.Value);

    /// <param name="status">the status the evaluation answered (a rejected request's problem status, else 200)</param>
    /// <param name="decision">the decision, or null for a request that was not decided (<c>invalid</c>)</param>
    public Task RecordAsync(Caller caller, int status, Decision? decision) =>
        log.RecordAsync(new EvaluationRecord(clock.GetUtcNow(), caller.Actor, caller.OrganizationId, status,
            decision is null ? "invalid" : ContractNames.Of(decision.Outcome),
            decision?.Policy.Id, decision?.Policy.Version, decision?.RulePack.Sha256), CancellationToken.None);
}
