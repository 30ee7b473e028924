using System.Text.Json.Nodes;
using MgAuth.Cases.Data;
using MgAuth.RulePacks;
using MgAuth.RulePacks.Isolation;

namespace MgAuth.Cases.Releases;

/// <summary>Who asks for an impact run: the audit actor, the person their daily runs are counted for, and whether they may read cases.</summary>
public sealed record ImpactCaller(AuditActor Actor, string Person, bool MayReadCases);

/// <summary>
/// Re-decides each stored case (its current revision) under a candidate release, with the case's own
/// evaluation date and member history, in a worker process: the candidate is not yet approved code.
/// The worker answers with outcomes and reason codes only.
/// </summary>
public sealed class ImpactAnalyzer(AuthorizationStore store, ReleaseStore releases, PackWorker worker, AuditLog audit,
    ApprovedReleases approved, ImpactRunQuota quota, TimeProvider clock)
{
    public const string DecisionFailed = "failed";

    /// <summary>
    /// The impact of a published release that passed its checks, shaped for its caller (<see cref="ImpactDisclosure"/>)
    /// and audited — a run the worker stopped too. Each run takes one of the caller's runs for the day (<see cref="ImpactRunQuota"/>).
    /// </summary>
    public async Task<Refusable<ImpactReport>> RunAsync(string sha256, ImpactCaller by, string? policyId, DateOnly? since,
        CancellationToken cancellationToken = default)
    {
        if (releases.Find(sha256) is not { } record) return Refusal.NotFound("release");
        if (!record.IsValid)
            return new Refusal(RefusalKind.ImpactRefused, "The release did not pass its checks",
                $"Release {sha256[..12]} did not compile or failed its cases; impact runs only on a release that passed them.")
            {
                Errors = new Dictionary<string, string[]> { ["release"] = [.. record.Problems.Take(20)] },
            };
        // A refused upload's content is not kept, so only a release that passed has any to run.
        if (releases.Release(sha256) is not { } release) return Refusal.NotFound("release");
        var taken = await quota.TakeAsync(by.Person, clock.GetUtcNow(), cancellationToken);
        if (!taken.Allowed)
        {
            await audit.RecordAsync(by.Actor, AuditActions.ImpactRun, sha256, $"refused: the daily limit of {taken.PerDay} runs is reached",
                clock.GetUtcNow(), cancellationToken);
            return new Refusal(RefusalKind.ImpactLimitReached, "Too many impact runs today",
                $"You have run the {taken.PerDay} impact analyses a person may run per day (UTC); the next one is possible after midnight UTC.")
            {
                RetryAfter = taken.RetryAfter,
            };
        }
        var run = $"run {taken.Run} of {taken.PerDay} today";
        var isApproved = approved.IsApproved(sha256);
        ImpactFindings findings;
        try
        {
            findings = await AnalyzeAsync(release, policyId, since, cancellationToken);
        }
        catch (PackWorkerException e)
        {
            await audit.RecordAsync(by.Actor, AuditActions.ImpactRun, sha256, $"stopped: {e.What}; {run}", clock.GetUtcNow(), cancellationToken);
            return new Refusal(RefusalKind.ImpactStopped, $"The impact analysis stopped: {e.What}",
                $"The worker deciding stored cases under release {sha256[..12]} stopped ({e.What}).");
        }
        await RecordAsync(by.Actor, findings, by.MayReadCases, isApproved, run, cancellationToken);
        return ImpactDisclosure.Shape(findings, by.MayReadCases, isApproved);
    }

    /// <summary>The audit entry of an impact run: who ran it on which release, the counts (small ones hidden) and what they were shown.</summary>
    public Task RecordAsync(AuditActor by, ImpactFindings findings, bool perCase, bool releaseApproved, string? run = null,
        CancellationToken cancellationToken = default) =>
        audit.RecordAsync(by, AuditActions.ImpactRun, findings.CandidateSha256, ImpactDisclosure.AuditDetail(findings, perCase, releaseApproved, run),
            clock.GetUtcNow(), cancellationToken);

    /// <summary>Whether a release was ever put in force (see <see cref="ApprovedReleases"/>).</summary>
    public bool IsApproved(string releaseSha256) => approved.IsApproved(releaseSha256);

    /// <summary>Every stored case's current revision decided again under the candidate: the exact findings, per case.</summary>
    public async Task<ImpactFindings> AnalyzeAsync(RuleRelease candidate, string? policyId = null, DateOnly? since = null,
        CancellationToken cancellationToken = default)
    {
        var revisions = await store.AllRevisionsAsync(since: since);
        var current = revisions.GroupBy(r => r.AuthorizationId).Select(g => g.MaxBy(r => r.Revision.Revision))
            .Where(r => policyId is null || r.Revision.PolicyId == policyId)
            .ToArray();
        var stored = current.ToDictionary(r => r.AuthorizationId, r => JsonNode.Parse(r.Revision.DecisionJson)!);
        var again = await worker.ImpactAsync(candidate, Cases(current), cancellationToken);

        var changes = new List<DecisionChange>();
        var redecided = 0;
        var skipped = 0;
        var failed = 0;
        foreach (var answer in again)
        {
            if (answer.Skipped || !stored.TryGetValue(answer.Id, out var before)) { skipped++; continue; }
            redecided++;
            if (answer.Failure is not null) failed++;
            var from = $"{before["decision"]}/{before["status"]}";
            var to = answer.Outcome ?? DecisionFailed;
            var oldCodes = before["reasons"]!.AsArray().Select(r => r!["code"]!.GetValue<string>()).ToHashSet();
            var newCodes = answer.Codes.ToHashSet();
            if (from == to && oldCodes.SetEquals(newCodes)) continue;
            changes.Add(new DecisionChange(answer.Id, from, to, newCodes.Except(oldCodes).Order().ToArray(), oldCodes.Except(newCodes).Order().ToArray()));
        }
        return new ImpactFindings(candidate.Sha256, redecided, changes.Count, skipped, failed, changes);
    }

    private static async IAsyncEnumerable<StoredCase> Cases(IEnumerable<(string AuthorizationId, RevisionRecord Revision)> revisions)
    {
        foreach (var (id, r) in revisions)
        {
            yield return new StoredCase(id, r.PolicyId, r.AsOf, r.RequestJson, r.HistoryJson);
            await Task.Yield();
        }
    }
}
