using System.Text.Json;
using System.Text.Json.Nodes;
using MgAuth.Api.Data;
using MgAuth.Domain.Decisions;
using MgAuth.Domain.Facts;
using MgAuth.Domain.Requests;
using MgAuth.RulePacks;

namespace MgAuth.Api.RulePacks;

public sealed record DecisionChange(string AuthorizationId, string From, string To, IReadOnlyList<string> ReasonsAdded, IReadOnlyList<string> ReasonsRemoved);

public sealed record Transition(string From, string To, int Count);

public sealed record ReasonShift(string Code, int Added, int Removed);

/// <summary>What a candidate release would do to the decisions already made: the answer a policy committee needs.</summary>
public sealed record ImpactReport(string CandidateSha256, int Redecided, int Changed, int Skipped, IReadOnlyList<Transition> Transitions,
    IReadOnlyList<ReasonShift> ByReasonCode, IReadOnlyList<DecisionChange> Changes);

/// <summary>
/// Re-decides each stored case (its current revision) under a candidate release, with the case's
/// own evaluation date and member history, and compares with the stored decision.
/// </summary>
public sealed class ImpactAnalyzer(AuthorizationStore store)
{
    public async Task<ImpactReport> AnalyzeAsync(RuleSet candidate, string? policyId = null, DateOnly? since = null)
    {
        var revisions = await store.AllRevisionsAsync(since: since?.ToString("yyyy-MM-dd"));
        var current = revisions.GroupBy(r => r.AuthorizationId).Select(g => g.MaxBy(r => r.Revision.Revision)).ToArray();
        var changes = new List<DecisionChange>();
        var redecided = 0;
        var skipped = 0;
        foreach (var (id, revision) in current)
        {
            if (policyId is not null && revision.PolicyId != policyId) continue;
            var policy = candidate.Policies.Find(revision.PolicyId);
            var asOf = DateOnly.ParseExact(revision.AsOf, "yyyy-MM-dd");
            var read = RequestReader.Read(revision.RequestJson, asOf);
            if (policy is null || read.Problem is not null) { skipped++; continue; }
            var history = JsonSerializer.Deserialize<ApprovedAuthorization[]>(revision.HistoryJson, MgAuthJson.Compact) ?? [];
            var again = Decider.Decide(candidate.Pack, read.Request!, policy, asOf, new DecideOptions { History = history });
            redecided++;

            var stored = JsonNode.Parse(revision.DecisionJson)!;
            var before = $"{stored["decision"]}/{stored["status"]}";
            var after = $"{ContractNames.Of(again.Outcome)}/{ContractNames.Of(again.Status)}";
            var oldCodes = stored["reasons"]!.AsArray().Select(r => r!["code"]!.GetValue<string>()).ToHashSet();
            var newCodes = again.Reasons.Select(r => r.Code).ToHashSet();
            if (before == after && oldCodes.SetEquals(newCodes)) continue;
            changes.Add(new DecisionChange(id, before, after, newCodes.Except(oldCodes).Order().ToArray(), oldCodes.Except(newCodes).Order().ToArray()));
        }
        var transitions = changes.GroupBy(c => (c.From, c.To)).Select(g => new Transition(g.Key.From, g.Key.To, g.Count()))
            .OrderByDescending(t => t.Count).ToArray();
        var byCode = changes.SelectMany(c => c.ReasonsAdded.Select(code => (code, added: 1, removed: 0))
                .Concat(c.ReasonsRemoved.Select(code => (code, added: 0, removed: 1))))
            .GroupBy(x => x.code).Select(g => new ReasonShift(g.Key, g.Sum(x => x.added), g.Sum(x => x.removed)))
            .OrderBy(r => r.Code, StringComparer.Ordinal).ToArray();
        return new ImpactReport(candidate.ReleaseSha256, redecided, changes.Count, skipped, transitions, byCode, changes);
    }
}
