using MgAuth.Domain.Policies;

namespace MgAuth.RulePacks.Isolation;

/// <summary>
/// Compiles a release, runs every case of its pack and says what the cases cover: the job the worker
/// runs for untrusted code, and the service runs itself only for the release it was deployed with.
/// </summary>
public static class ReleaseChecker
{
    /// <summary>
    /// The check, and the compiled pack and policies when it compiled. With <paramref name="packs"/> (the service's own
    /// release at start) the pack is compiled through them, once in the process, and kept there for the others to share.
    /// </summary>
    public static (ReleaseCheck Check, RulePack? Pack, PolicySet? Policies) Check(RuleRelease release, string? onlyPolicy = null,
        CompiledPacks? packs = null)
    {
        RulePack pack;
        PolicySet policies;
        try
        {
            (pack, policies) = release.Load(packs);
        }
        catch (RulePackException e) { return (Refused(release, e.Problems), null, null); }
        catch (PolicyLoadException e) { return (Refused(release, e.Problems), null, null); }

        var problems = new List<string>();
        var results = new List<CaseResult>();
        foreach (var file in pack.Source.Cases)
        {
            PackCase c;
            try { c = PackCase.Parse(file); }
            catch (Exception e) when (e is FormatException or System.Text.Json.JsonException)
            {
                problems.Add($"case {file.Path} cannot be read: {e.Message}");
                continue;
            }
            if (onlyPolicy is not null && (c.PolicyId ?? policies.DefaultId) != onlyPolicy) continue;
            try { results.Add(CaseRunner.Run(pack, policies, c)); }
            catch (DecisionFailedException e)
            {
                results.Add(new CaseResult(c, c.PolicyId ?? policies.DefaultId, [$"the decision failed: {e.Message}"], null));
            }
        }
        var outcomes = results.Select(r => new CaseOutcome(r.Case.File, r.PolicyId, r.Differences)).ToArray();
        return (new ReleaseCheck(release.Sha256, pack.Manifest.Id, pack.Manifest.Version, problems, outcomes, Coverage.Of(pack, results)),
            pack, policies);
    }

    /// <summary>A release that did not get as far as its cases: the pack's id if its manifest reads, else its name.</summary>
    public static ReleaseCheck Refused(RuleRelease release, IReadOnlyList<string> problems)
    {
        string id;
        try { id = PackManifest.Parse(release.Pack).Id; }
        catch (RulePackException) { id = release.Pack.Name; }
        return new ReleaseCheck(release.Sha256, id, "?", problems, [], null);
    }
}
