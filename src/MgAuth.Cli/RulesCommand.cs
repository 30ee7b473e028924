using System.Globalization;
using MgAuth.RulePacks;

namespace MgAuth.Cli;

/// <summary><c>mgauth rules test [PACKDIR] [--policy ID] [--coverage] [--min-coverage N]</c>: the pack's cases, with what they cover.</summary>
public static class RulesCommand
{
    public static int Run(Options options, TextWriter stdout)
    {
        switch (options.Positional.FirstOrDefault())
        {
            case "test":
                return Test(options, stdout);
            default:
                throw new UsageException("rules takes test");
        }
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
