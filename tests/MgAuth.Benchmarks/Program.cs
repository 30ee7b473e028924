using BenchmarkDotNet.Running;
using MgAuth.Benchmarks.OnNRules;
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

    /// <summary>What one benchmark session does at each size on each runtime: how many rules fire, how many facts
    /// it ends with, and whether both fired the same rules.</summary>
    private static void PrintStats()
    {
        foreach (var rules in new[] { 10, 50, 200, 500 })
        {
            var network = RuleCompiler.Compile(RuleSet.Definitions(rules));
            var session = network.CreateSession(new SessionOptions { Trace = true, Explain = true });
            foreach (var fact in SampleFacts.Create()) session.Insert(fact);
            var fired = session.Fire();
            Console.WriteLine($"{rules} rules, retired engine: alpha tests {network.AlphaTestCount}, fired {fired}, " +
                $"facts {session.Query<object>().Count()}, not fired {session.Explanations!.Count} — {ByTemplate(session.Trace.Select(t => t.Rule.Name))}");

            var factory = OnNRules.RuleSet.Compile(OnNRules.RuleSet.Definitions(rules));
            var nrulesFired = NRulesSessionBenchmarks.Run(factory, SampleFacts.Create(), out var trace);
            Console.WriteLine($"{rules} rules, NRules:         fired {nrulesFired}, trace {trace.Count} — {ByTemplate(trace.Select(t => t.Rule.Name))}");

            var retired = session.Trace.Select(t => t.Rule.Name).Order(StringComparer.Ordinal).ToArray();
            var ported = trace.Select(t => t.Rule.Name).Order(StringComparer.Ordinal).ToArray();
            Console.WriteLine(retired.SequenceEqual(ported)
                ? $"{rules} rules: the same rules fired on both, as often"
                : $"{rules} rules: DIFFERENT — retired only: {string.Join(", ", retired.Except(ported))}; NRules only: {string.Join(", ", ported.Except(retired))}; " +
                  $"retired repeats: {string.Join(", ", Repeats(retired))}; NRules repeats: {string.Join(", ", Repeats(ported))}");
        }
    }

    private static string ByTemplate(IEnumerable<string> names) =>
        string.Join(", ", names.GroupBy(n => n.Split('#')[0]).Select(g => $"{g.Key}×{g.Count()}"));

    private static IEnumerable<string> Repeats(IEnumerable<string> names) =>
        names.GroupBy(n => n).Where(g => g.Count() > 1).Select(g => $"{g.Key}×{g.Count()}");
}
