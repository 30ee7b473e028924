using BenchmarkDotNet.Attributes;
using MgAuth.Domain.Policies;
using NRules;

namespace MgAuth.Benchmarks;

/// <summary>
/// The NRules session alone, on the real pack's compiled session factory: one new session per request, the policy and
/// the example's facts (built once, outside the measurement) inserted in one batch, fired to rest. No trace handler,
/// no conclusions gathered, no decision derived: what the engine itself costs a decision.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class SessionBenchmarks
{
    private ISessionFactory _sessions = null!;
    private Policy _policy = null!;
    private IReadOnlyList<object> _facts = [];

    [ParamsSource(nameof(Examples))]
    public string Example { get; set; } = "";

    public static IEnumerable<string> Examples() => ExampleRequests.Names();

    [GlobalSetup]
    public void Setup()
    {
        _sessions = ExampleRequests.Pack.Sessions;
        (var facts, _policy) = ExampleRequests.Facts(Example);
        _facts = facts.Facts;
        if (InsertAndFire() == 0) throw new InvalidOperationException($"no rule fired for examples/{Example}.json");
    }

    /// <summary>The number of rules fired (as the pipeline's limit allows: 1,000).</summary>
    [Benchmark]
    public int InsertAndFire()
    {
        var session = _sessions.CreateSession();
        session.InsertAll(_facts.Prepend(_policy)); // in one batch, as the decider inserts them
        return session.Fire(1_000);
    }
}
