using BenchmarkDotNet.Running;

namespace MgAuth.Benchmarks;

public static class Program
{
    public static void Main(string[] args)
    {
        if (args is ["--stats"])
        {
            PrintStats();
            return;
        }
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }

    /// <summary>What one benchmark session does at each size: how many rules fire, and which templates.</summary>
    private static void PrintStats()
    {
        foreach (var rules in new[] { 10, 50, 200, 500 })
        {
            var factory = RuleSet.Compile(RuleSet.Definitions(rules));
            var fired = SessionBenchmarks.Run(factory, SampleFacts.Create(), out var trace);
            var byTemplate = trace.GroupBy(t => t.Rule.Name.Split('#')[0]).Select(g => $"{g.Key}×{g.Count()}");
            Console.WriteLine($"{rules} rules: fired {fired} — {string.Join(", ", byTemplate)}");
        }
    }
}
