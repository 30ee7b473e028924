using BenchmarkDotNet.Attributes;
using MgAuth.Engine;
using MgAuth.Engine.Compilation;

namespace MgAuth.Benchmarks;

/// <summary>One request: a new session from a compiled network, 20 facts inserted, fired to quiescence, traced.</summary>
[MemoryDiagnoser]
[MedianColumn]
public class SessionBenchmarks
{
    private RuleNetwork _network = null!;
    private object[] _facts = null!;
    private SessionOptions _options = null!;

    [Params(10, 50, 200)]
    public int Rules { get; set; }

    [Params(false, true)]
    public bool Explain { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _network = RuleCompiler.Compile(RuleSet.Definitions(Rules));
        _facts = SampleFacts.Create();
        _options = new SessionOptions { Trace = true, Explain = Explain };
    }

    [Benchmark]
    public int CreateInsertFire()
    {
        var session = _network.CreateSession(_options);
        foreach (var fact in _facts) session.Insert(fact);
        return session.Fire();
    }
}
