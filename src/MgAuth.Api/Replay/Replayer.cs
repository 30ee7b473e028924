using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using MgAuth.Api.Data;
using MgAuth.Api.RulePacks;
using MgAuth.Domain.Decisions;
using MgAuth.Domain.Facts;
using MgAuth.Domain.Requests;
using MgAuth.RulePacks;

namespace MgAuth.Api.Replay;

public sealed record ReplayDifference(string AuthorizationId, long Revision, string Detail);

public sealed record ReplayReport(int Replayed, int Identical, IReadOnlyList<ReplayDifference> Differences);

/// <summary>
/// Re-decides stored requests with exactly what decided them — the pack and policy versions by
/// hash, the evaluation date and the member history as they were — and reports any decision that
/// comes out differently. A non-empty report means a decision cannot be reproduced.
/// </summary>
public sealed class Replayer(AuthorizationStore store, RuleVersionStore versions)
{
    private readonly ConcurrentDictionary<string, RulePack?> _packs = new();

    // Fields the service adds around the engine's decision; they are not the engine's to reproduce.
    private static readonly string[] ServiceFields = ["authorizationId", "revision", "receivedAt", "dueBy"];

    public async Task<ReplayReport> ReplayAsync(string? authorizationId = null)
    {
        var revisions = await store.AllRevisionsAsync(authorizationId);
        var differences = new List<ReplayDifference>();
        foreach (var (id, revision) in revisions)
        {
            var detail = Replay(revision);
            if (detail is not null) differences.Add(new ReplayDifference(id, revision.Revision, detail));
        }
        return new ReplayReport(revisions.Count, revisions.Count - differences.Count, differences);
    }

    /// <summary>The stored request decided again by what decided it, with explain on: why every rule that did not fire did not.</summary>
    public (Decision? Decision, string? Problem) Explain(RevisionRecord revision) => Redecide(revision, explain: true);

    private (Decision? Decision, string? Problem) Redecide(RevisionRecord revision, bool explain)
    {
        var pack = _packs.GetOrAdd(revision.PackSha256, sha => versions.PackSource(sha) is { } source ? RulePackCompiler.Compile(source) : null);
        if (pack is null) return (null, $"rule pack {revision.PackSha256} is not stored");
        var policy = versions.Policy(revision.PolicySha256);
        if (policy is null) return (null, $"policy {revision.PolicyId} {revision.PolicyVersion} ({revision.PolicySha256}) is not stored");
        var asOf = DateOnly.ParseExact(revision.AsOf, "yyyy-MM-dd");
        var read = RequestReader.Read(revision.RequestJson, asOf);
        if (read.Problem is not null) return (null, "the stored request no longer reads as valid");
        var history = JsonSerializer.Deserialize<ApprovedAuthorization[]>(revision.HistoryJson, MgAuthJson.Compact) ?? [];
        return (Decider.Decide(pack, read.Request!, policy, asOf, new DecideOptions { History = history, Explain = explain }), null);
    }

    private string? Replay(RevisionRecord revision)
    {
        var (again, problem) = Redecide(revision, explain: false);
        if (again is null) return problem;
        var stored = Comparable(JsonNode.Parse(revision.DecisionJson)!);
        var replayed = Comparable(JsonSerializer.SerializeToNode(again, MgAuthJson.Compact)!);
        return JsonNode.DeepEquals(stored, replayed)
            ? null
            : $"stored {stored["decision"]}/{stored["status"]} with [{Codes(stored)}]; replayed {replayed["decision"]}/{replayed["status"]} with [{Codes(replayed)}]";
    }

    private static JsonNode Comparable(JsonNode decision)
    {
        foreach (var field in ServiceFields) decision.AsObject().Remove(field);
        return decision;
    }

    private static string Codes(JsonNode decision) =>
        string.Join(", ", decision["reasons"]!.AsArray().Select(r => r!["code"]!.GetValue<string>()));
}
