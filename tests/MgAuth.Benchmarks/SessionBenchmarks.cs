using BenchmarkDotNet.Attributes;
using NRules;
using NRules.Diagnostics;
using NRules.RuleModel;

namespace MgAuth.Benchmarks;

/// <summary>
/// One request, as the product runs one: a new session from the compiled session factory, a
/// RuleFiredEvent handler recording the trace, 20 facts inserted one by one, fired to quiescence.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class SessionBenchmarks
{
    private ISessionFactory _factory = null!;
    private object[] _facts = null!;

    [Params(10, 50, 200)]
    public int Rules { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _factory = RuleSet.Compile(RuleSet.Definitions(Rules));
        _facts = SampleFacts.Create();
    }

    [Benchmark]
    public int CreateInsertFire() => Run(_factory, _facts, out _);

    /// <summary>One session; <paramref name="trace"/> is every rule fired, in order, with the facts it matched.</summary>
    public static int Run(ISessionFactory factory, object[] facts, out List<Fired> trace)
    {
        var session = factory.CreateSession();
        var fired = new List<Fired>(16);
        session.Events.RuleFiredEvent += (_, e) => fired.Add(new Fired(fired.Count + 1, e.Rule, e.Facts.Select(f => f.Value).ToArray()));
        foreach (var fact in facts) session.Insert(fact);
        trace = fired;
        return session.Fire(MaxFirings);
    }

    /// <summary>The product's firing limit.</summary>
    public const int MaxFirings = 10_000;

    /// <summary>A trace entry: the rule fired, when, and the facts it matched.</summary>
    public sealed record Fired(int Sequence, IRuleDefinition Rule, object?[] Facts);
}
