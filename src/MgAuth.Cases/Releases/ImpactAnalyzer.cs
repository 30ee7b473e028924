using System.Text.Json.Nodes;
using MgAuth.Cases.Data;
using MgAuth.RulePacks;
using MgAuth.RulePacks.Isolation;

namespace MgAuth.Cases.Releases;

/// <summary>One stored decision that would change: from and to (decision/status), and — for those who may read cases — the reason codes.</summary>
public sealed record DecisionChange(string AuthorizationId, string From, string To, IReadOnlyList<string> ReasonsAdded, IReadOnlyList<string> ReasonsRemoved);

public sealed record Transition(string From, string To, int Count);

public sealed record ReasonShift(string Code, int Added, int Removed);

/// <summary>
/// What a candidate release would do to the decisions already made: the answer a policy committee
/// needs. Counts, reason codes and authorization ids — never a reason's message or a member's
/// values. Per-case reason codes only for callers who may read cases (<see cref="PerCaseReasonCodes"/>).
/// </summary>
public sealed record ImpactReport(string CandidateSha256, int Redecided, int Changed, int Skipped, int Failed, bool PerCaseReasonCodes,
    IReadOnlyList<Transition> Transitions, IReadOnlyList<ReasonShift> ByReasonCode, IReadOnlyList<DecisionChange> Changes);

/// <summary>
/// Re-decides each stored case (its current revision) under a candidate release, with the case's own
/// evaluation date and member history, in a worker process: the candidate is not yet approved code.
/// The worker answers with outcomes and reason codes only.
/// </summary>
public sealed class ImpactAnalyzer(AuthorizationStore store, ReleaseStore releases, PackWorker worker, AuditLog audit)
{
    public const string DecisionFailed = "failed";

    /// <summary>The impact of a published release that passed its checks, audited — a run the worker stopped too.</summary>
    public async Task<Refusable<ImpactReport>> RunAsync(string sha256, AuditActor by, string? policyId, DateOnly? since, bool perCaseReasonCodes,
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
        ImpactReport report;
        try
        {
            report = await AnalyzeAsync(release, policyId, since, perCaseReasonCodes, cancellationToken);
        }
        catch (PackWorkerException e)
        {
            audit.Record(by, AuditActions.ImpactRun, sha256, $"stopped: {e.What}");
            return new Refusal(RefusalKind.ImpactStopped, $"The impact analysis stopped: {e.What}",
                $"The worker deciding stored cases under release {sha256[..12]} stopped ({e.What}).");
        }
        Record(by, report);
        return report;
    }

    /// <summary>The audit entry of an impact run: who ran it on which release, and the counts.</summary>
    public void Record(AuditActor by, ImpactReport report) =>
        audit.Record(by, AuditActions.ImpactRun, report.CandidateSha256,
            $"redecided {report.Redecided}, changed {report.Changed}, skipped {report.Skipped}, failed {report.Failed}");

    public async Task<ImpactReport> AnalyzeAsync(RuleRelease candidate, string? policyId = null, DateOnly? since = null,
        bool perCaseReasonCodes = true, CancellationToken cancellationToken = default)
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
        var transitions = changes.GroupBy(c => (c.From, c.To)).Select(g => new Transition(g.Key.From, g.Key.To, g.Count()))
            .OrderByDescending(t => t.Count).ToArray();
        var byCode = changes.SelectMany(c => c.ReasonsAdded.Select(code => (code, added: 1, removed: 0))
                .Concat(c.ReasonsRemoved.Select(code => (code, added: 0, removed: 1))))
            .GroupBy(x => x.code).Select(g => new ReasonShift(g.Key, g.Sum(x => x.added), g.Sum(x => x.removed)))
            .OrderBy(r => r.Code, StringComparer.Ordinal).ToArray();
        var listed = perCaseReasonCodes ? changes : changes.Select(c => c with { ReasonsAdded = [], ReasonsRemoved = [] }).ToList();
        return new ImpactReport(candidate.Sha256, redecided, changes.Count, skipped, failed, perCaseReasonCodes, transitions, byCode, listed);
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
