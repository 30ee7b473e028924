using MgAuth.Cases.Data;
using MgAuth.Cases.Decisions;
using MgAuth.Cases.Releases;
using MgAuth.Cases.Security;
using MgAuth.Cases.Workflow;
using MgAuth.Domain.Decisions;
using MgAuth.Domain.Facts;
using MgAuth.Domain.Requests;

namespace MgAuth.Cases.Review;

/// <summary>
/// Lays over a case's decision what the service derives for the one who reads it (<see cref="CaseAnswer"/>): the dosing
/// working from the stored request under the policy that decided it, the clock on the service's time, and the next actions
/// by <see cref="NextActions"/>.
/// </summary>
public sealed class CaseAnswers(AuthorizationStore store, ReviewStore review, RuleVersionStore versions, ActiveRules rules, TimeProvider clock)
{
    /// <param name="row">The case.</param>
    /// <param name="decision">Its decision as this reader may read it.</param>
    /// <param name="who">The reader.</param>
    /// <param name="appealWithinDays">How long after a decision it may be appealed.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    public async Task<CaseAnswer> ForAsync(AuthorizationRow row, CaseDecision decision, Caller who, int appealWithinDays,
        CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var links = await review.LinksAsync(row.Id, cancellationToken);
        var standing = new CaseStanding(new Case(row), links.AppealOf, links.Appeals,
            await review.ClaimAsync(row.Id, now, cancellationToken),
            await review.LatestDeterminationAsync(row.Id, cancellationToken),
            links.AppealOf is null ? null : await review.LatestDeterminationAsync(links.AppealOf, cancellationToken),
            row.DecidedAt ?? row.ReceivedAt)
        {
            MissingFacts = decision.Decision.IsIncomplete ? decision.Decision.MissingDocumentation : null,
        };
        return new CaseAnswer(decision,
            await WorkingAsync(row, cancellationToken),
            row.Status == CaseStatus.Pended ? CaseClock.Of(row.DueBy, now) : null,
            NextActions.For(standing, who, now, appealWithinDays));
    }

    /// <summary>The dose worked out again, by the computation the decision's facts came from; null when the request or policy is gone.</summary>
    private async Task<DosingWorking?> WorkingAsync(AuthorizationRow row, CancellationToken cancellationToken)
    {
        var revision = await store.RevisionAsync(row.Id, row.Revision, cancellationToken);
        if (revision is null) return null;
        var policy = versions.Policy(revision.PolicySha256) ?? rules.Current.Policies.Find(revision.PolicyId);
        var request = RequestReader.Read(revision.RequestJson, revision.AsOf).Request;
        return policy is null || request is null ? null : DosingWorking.Of(request, policy, revision.AsOf);
    }
}
