using MgAuth.Domain.Policies;
using MgAuth.RulePacks;
using MgAuth.RulePacks.Isolation;

namespace MgAuth.Worker;

/// <summary>Compiles the release, runs every case of its pack, and says what the cases cover.</summary>
public static class CheckJob
{
    public static ReleaseCheck Run(WorkerJob job)
    {
        var release = job.Release();
        RulePack pack;
        PolicySet policies;
        try
        {
            (pack, policies) = release.Load();
        }
        catch (RulePackException e) { return Refused(release, e.Problems); }
        catch (PolicyLoadException e) { return Refused(release, e.Problems); }

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
            if (job.OnlyPolicy is not null && (c.PolicyId ?? policies.DefaultId) != job.OnlyPolicy) continue;
            try { results.Add(CaseRunner.Run(pack, policies, c)); }
            catch (DecisionFailedException e)
            {
                results.Add(new CaseResult(c, c.PolicyId ?? policies.DefaultId, [$"the decision failed: {e.Message}"], null));
            }
        }
        var outcomes = results.Select(r => new CaseOutcome(r.Case.File, r.PolicyId, r.Differences)).ToArray();
        return new ReleaseCheck(release.Sha256, pack.Manifest.Id, pack.Manifest.Version, problems, outcomes, Coverage.Of(pack, results));
    }

    private static ReleaseCheck Refused(RuleRelease release, IReadOnlyList<string> problems) =>
        new(release.Sha256, PackManifestName(release), "?", problems, [], null);

    private static string PackManifestName(RuleRelease release)
    {
        try { return PackManifest.Parse(release.Pack).Id; }
        catch (Exception e) when (e is RulePackException or FormatException) { return release.Pack.Name; }
    }
}
