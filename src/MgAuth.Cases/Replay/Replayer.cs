using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using MgAuth.Cases.Data;
using MgAuth.Cases.Releases;
using MgAuth.Domain.Decisions;
using MgAuth.Domain.Facts;
using MgAuth.Domain.Requests;
using MgAuth.RulePacks;
using Microsoft.Extensions.Logging;

namespace MgAuth.Cases.Replay;

public sealed record ReplayDifference(string AuthorizationId, long Revision, string Detail);

public sealed record ReplayReport(int Replayed, int Identical, IReadOnlyList<ReplayDifference> Differences);

/// <summary>
/// Re-decides stored requests with exactly what decided them — the pack and policy versions by
/// hash, the evaluation date and the member history as they were — and reports any decision that
/// comes out differently. A non-empty report means a decision cannot be reproduced.
/// A pack written for the retired engine cannot run any more; its decisions replay on the pack
/// that declares itself its port (<c>supersedes</c> in pack.yaml), among the stored packs and
/// the pack at hand (<paramref name="current"/>), and are compared without the trace and pack
/// reference (how that engine got there) and without the order of reasons, which that engine set by
/// its firing order and decisions now take from the policy. A port is only ever approved code: the pack in force, or
/// the pack of a release an approver activated (rolled back since or not) — never an upload merely published or
/// refused, whatever its pack.yaml claims (<see cref="ApprovedReleases"/>).
/// </summary>
public sealed class Replayer(AuthorizationStore store, RuleVersionStore versions, CompiledPacks packs, Func<RulePack?> current,
    ApprovedReleases approved, ILogger logger)
{
    // Which pack decides a stored pack's decisions (itself, or its port): the packs themselves come from the process's one cache.
    private readonly ConcurrentDictionary<string, (RulePack Pack, bool Port)> _packs = new();

    // A pack with neither itself nor a port, by how many approved packs there were when it was looked for: a port
    // approved later is found on the next ask, and until then the pack is not compiled (nor warned about) again.
    private readonly ConcurrentDictionary<string, int> _missing = new();

    // Fields the service adds around the engine's decision; they are not the engine's to reproduce.
    private static readonly string[] ServiceFields = ["authorizationId", "revision", "receivedAt", "dueBy"];

    // What only the engine that made a decision can reproduce: how it got there, and its own hash.
    private static readonly string[] EngineFields = ["trace", "rulePack"];

    // Lists whose order the retired engine took from its firing order.
    private static readonly string[] OrderedByEngine = ["reasons", "missingDocumentation"];

    public Replayer(AuthorizationStore store, RuleVersionStore versions, CompiledPacks packs, ActiveRules active, ApprovedReleases approved,
        ILogger<Replayer> logger)
        : this(store, versions, packs, () => active.Current.Pack, approved, logger)
    {
    }

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

    /// <summary>The stored request decided again by what decided it, with explain on: every rule's why-not, or why it cannot be re-run.</summary>
    public Refusable<Decision> Explain(RevisionRecord revision) =>
        Redecide(revision, explain: true) switch { ({ } decision, _) => decision, (_, var why) => CannotExplain(why!) };

    public static Refusal CannotExplain(string why) => new(RefusalKind.CannotExplain, "The decision cannot be re-run", why);

    private (Decision? Decision, string? Problem) Redecide(RevisionRecord revision, bool explain)
    {
        var (pack, _) = PackOf(revision.PackSha256);
        if (pack is null) return (null, $"rule pack {revision.PackSha256} is not stored, or no longer loads and no pack declares itself its port");
        var policy = versions.Policy(revision.PolicySha256);
        if (policy is null) return (null, $"policy {revision.PolicyId} {revision.PolicyVersion} ({revision.PolicySha256}) is not stored");
        var read = DecisionPipeline.Read(revision.RequestJson, revision.AsOf, policy);
        // A PAS request missing the facts the contract requires was decided incomplete: it replays so, and explains no rule.
        if (read.Problem is not null && DecisionPipeline.ReadIncomplete(revision.RequestJson, read, policy) is { } incomplete)
        {
            if (explain) return (null, "the request left out facts the contract requires, so no rule ran on it");
            return (incomplete.Decide(pack), null);
        }
        if (read.Problem is not null) return (null, "the stored request no longer reads as valid");
        return (read.Decide(pack, revision.History(), explain).Decision, null);
    }

    // A pack that still loads replays itself, whatever another pack claims: a port is used only for a pack
    // this engine can no longer run (a published pack could otherwise take over another's explanations).
    private (RulePack? Pack, bool Port) PackOf(string sha256)
    {
        if (_packs.TryGetValue(sha256, out var known)) return known;
        var approvedPacks = approved.PackSha256s();
        if (_missing.TryGetValue(sha256, out var looked) && looked == approvedPacks.Count) return (null, false);
        (RulePack Pack, bool Port)? found = null;
        if (versions.PackSource(sha256) is { } source)
        {
            try
            {
                found = (packs.Get(source), false);
            }
            catch (RulePackException)
            {
                found = PortOf(sha256, approvedPacks);
            }
        }
        if (found is { } pack) return _packs.GetOrAdd(sha256, pack);
        _missing[sha256] = approvedPacks.Count;
        return (null, false);
    }

    // The pack in force, then the packs of approved releases in the order they were first activated. A candidate whose
    // pack.yaml does not read, or that no longer loads, is skipped with a warning naming the pack (never a case).
    private (RulePack Pack, bool Port)? PortOf(string sha256, IReadOnlyList<string> approvedPacks)
    {
        if (current() is { } pack && pack.Manifest.Supersedes.Contains(sha256)) return (pack, true);
        foreach (var candidate in approvedPacks)
        {
            if (versions.PackSource(candidate) is not { } stored) continue;
            try
            {
                if (PackManifest.Parse(stored).Supersedes.Contains(sha256)) return (packs.Get(stored), true);
            }
            catch (RulePackException e)
            {
                logger.LogWarning("Approved pack {Pack} is not considered as a port of pack {Decided}: {Problem}", candidate[..12], sha256[..12],
                    e.Problems.FirstOrDefault() ?? "it does not load");
            }
        }
        return null;
    }

    private string? Replay(RevisionRecord revision)
    {
        var (again, problem) = Redecide(revision, explain: false);
        if (again is null) return problem;
        var port = PackOf(revision.PackSha256).Port;
        var stored = Comparable(JsonNode.Parse(revision.DecisionJson)!, port);
        var replayed = Comparable(JsonSerializer.SerializeToNode(again, MgAuthJson.Compact)!, port);
        return JsonNode.DeepEquals(stored, replayed)
            ? null
            : $"stored {stored["decision"]}/{stored["status"]} with [{Codes(stored)}]; replayed {replayed["decision"]}/{replayed["status"]} with [{Codes(replayed)}]";
    }

    private static JsonNode Comparable(JsonNode decision, bool port)
    {
        foreach (var field in port ? [.. ServiceFields, .. EngineFields] : ServiceFields) decision.AsObject().Remove(field);
        if (port)
            foreach (var list in OrderedByEngine)
                if (decision[list] is JsonArray items)
                    decision[list] = new JsonArray(items.Select(i => i?.DeepClone()).OrderBy(i => i?.ToJsonString(), StringComparer.Ordinal).ToArray());
        return decision;
    }

    private static string Codes(JsonNode decision) =>
        string.Join(", ", decision["reasons"]!.AsArray().Select(r => r!["code"]!.GetValue<string>()));
}
