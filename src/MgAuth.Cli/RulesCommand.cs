using System.Globalization;
using MgAuth.Api.Data;
using MgAuth.Api.RulePacks;
using MgAuth.RulePacks;
using Microsoft.Extensions.Logging.Abstractions;

namespace MgAuth.Cli;

/// <summary>
/// <c>mgauth rules test [PACKDIR] [--policy ID] [--coverage] [--min-coverage N]</c>: the pack's cases, with what they cover;
/// <c>mgauth rules impact --db PATH --candidate PACKDIR [--policies DIR] [--policy ID] [--since DATE]</c>: what a candidate would change;
/// <c>mgauth rules publish [PACKDIR] [--policies DIR] [--db PATH] [--note TEXT] [--activate]</c>: publish (and activate) a release.
/// </summary>
public static class RulesCommand
{
    public static async Task<int> RunAsync(Options options, TextWriter stdout) =>
        options.Positional.FirstOrDefault() switch
        {
            "test" => Test(options, stdout),
            "impact" => await ImpactAsync(options, stdout),
            "publish" => Publish(options, stdout),
            _ => throw new UsageException("rules takes test, impact or publish"),
        };

    private static async Task<int> ImpactAsync(Options options, TextWriter stdout)
    {
        var candidateFolder = options.Value("--candidate") ?? throw new UsageException("rules impact needs --candidate PACKDIR");
        var database = KeysCommand.OpenDatabase(options);
        var release = RuleRelease.FromFolders(candidateFolder, options.Folder("--policies", "policies"));
        var candidate = RuleSet.From(release);
        var since = options.Value("--since") is null ? (DateOnly?)null : options.Date("--since", default);
        var report = await new ImpactAnalyzer(new AuthorizationStore(database)).AnalyzeAsync(candidate, options.Value("--policy"), since);

        await stdout.WriteLineAsync($"candidate {report.CandidateSha256[..12]}: {report.Redecided} stored decision(s) re-decided, {report.Changed} would change"
            + (report.Skipped > 0 ? $", {report.Skipped} skipped (policy not in the candidate)" : ""));
        foreach (var t in report.Transitions) await stdout.WriteLineAsync($"  {t.From} -> {t.To}: {t.Count}");
        foreach (var r in report.ByReasonCode) await stdout.WriteLineAsync($"  {r.Code}: +{r.Added} -{r.Removed}");
        foreach (var c in report.Changes)
            await stdout.WriteLineAsync($"  {c.AuthorizationId}: {c.From} -> {c.To}"
                + (c.ReasonsAdded.Count > 0 ? $" +[{string.Join(", ", c.ReasonsAdded)}]" : "")
                + (c.ReasonsRemoved.Count > 0 ? $" -[{string.Join(", ", c.ReasonsRemoved)}]" : ""));
        return Cli.Ok;
    }

    private static int Publish(Options options, TextWriter stdout)
    {
        var folder = options.Positional.ElementAtOrDefault(1) ?? options.Folder("--rules", Path.Combine("rules", "ivig-mg"));
        var database = KeysCommand.OpenDatabase(options);
        var releases = new ReleaseService(new ReleaseStore(database, new RuleVersionStore(database)), TimeProvider.System,
            NullLogger<ReleaseService>.Instance);
        var release = RuleRelease.FromFolders(folder, options.Folder("--policies", "policies"));
        var by = options.Value("--by", Environment.UserName);
        var result = releases.Publish(release, by, options.Value("--note", ""));
        stdout.WriteLine($"release {result.Sha256}: {(result.Valid ? "valid" : "REFUSED")}, cases {result.CasesPassed} passed, {result.CasesFailed} failed"
            + (result.AlreadyPublished ? " (already published)" : ""));
        foreach (var problem in result.Problems) stdout.WriteLine($"  {problem}");
        if (!result.Valid) return Cli.InternalError;
        if (options.Has("--activate"))
        {
            var rules = releases.Compiled(result.Sha256);
            releases.Activate(new ActiveRules(rules, TimeProvider.System), result.Sha256, by, null, note: options.Value("--note", ""));
            stdout.WriteLine("activated; a running service follows within a few seconds");
        }
        return Cli.Ok;
    }

    private static int Test(Options options, TextWriter stdout)
    {
        var folder = options.Positional.ElementAtOrDefault(1) ?? options.Folder("--rules", Path.Combine("rules", "ivig-mg"));
        RulePack pack;
        try { pack = RulePackCompiler.Load(folder); }
        catch (RulePackException e)
        {
            stdout.WriteLine(e.Message);
            return Cli.InternalError;
        }
        var policies = PolicySet.FromFolder(options.Folder("--policies", "policies"));
        var only = options.Value("--policy");
        if (only is not null && policies.Find(only) is null) throw new UsageException($"--policy {only} is not a policy here");

        var results = CaseRunner.RunAll(pack, policies, only);
        foreach (var result in results)
        {
            stdout.WriteLine($"{(result.Passed ? "PASS" : "FAIL")}  {result.Case.File}  [{result.PolicyId}]");
            foreach (var difference in result.Differences) stdout.WriteLine($"        {difference}");
        }
        var failed = results.Count(r => !r.Passed);
        stdout.WriteLine($"{results.Count - failed} passed, {failed} failed  (pack {pack.Manifest.Id} {pack.Manifest.Version} {pack.Sha256[..12]})");

        var exit = failed == 0 ? Cli.Ok : Cli.InternalError;
        if (!options.Has("--coverage") && options.Value("--min-coverage") is null) return exit;

        var coverage = Coverage.Of(pack, results);
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"coverage: rules {coverage.Rules.Count - coverage.RulesNotFired.Count}/{coverage.Rules.Count} ({coverage.RulePercent:0.0}%), policy rows {coverage.PolicyRows.Count - coverage.PolicyRowsNotReached.Count}/{coverage.PolicyRows.Count} ({coverage.RowPercent:0.0}%)"));
        foreach (var rule in coverage.RulesNotFired) stdout.WriteLine($"  rule never fired: {rule}");
        foreach (var row in coverage.PolicyRowsNotReached) stdout.WriteLine($"  policy row never reached: {row}");
        if (options.Value("--min-coverage") is { } min)
        {
            if (!double.TryParse(min, NumberStyles.Float, CultureInfo.InvariantCulture, out var minimum))
                throw new UsageException("--min-coverage takes a percentage");
            if (Math.Min(coverage.RulePercent, coverage.RowPercent) < minimum)
            {
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"coverage is below the required {minimum}%"));
                exit = Cli.InternalError;
            }
        }
        return exit;
    }
}
