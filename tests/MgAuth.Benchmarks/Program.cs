using BenchmarkDotNet.Running;
using MgAuth.Engine;
using MgAuth.Engine.Compilation;

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

    /// <summary>What one benchmark session does at each size: how many rules fire, how many facts it ends with.</summary>
    private static void PrintStats()
    {
        foreach (var rules in new[] { 10, 50, 200, 500 })
        {
            var network = RuleCompiler.Compile(RuleSet.Definitions(rules));
            var session = network.CreateSession(new SessionOptions { Trace = true, Explain = true });
            foreach (var fact in SampleFacts.Create()) session.Insert(fact);
            var fired = session.Fire();
            var byTemplate = session.Trace.GroupBy(t => t.Rule.Name.Split('#')[0]).Select(g => $"{g.Key}×{g.Count()}");
            Console.WriteLine($"{rules} rules: alpha tests {network.AlphaTestCount}, fired {fired}, facts {session.Query<object>().Count()}, " +
                $"not fired {session.Explanations!.Count} — {string.Join(", ", byTemplate)}");
        }
    }
}
