using BenchmarkDotNet.Attributes;
using MgAuth.Domain.Decisions;
using MgAuth.RulePacks;

namespace MgAuth.Benchmarks;

/// <summary>
/// One request as the service decides it, less the store: <see cref="DecisionPipeline"/> reads and validates the
/// example's bytes, finds its policy, builds the facts, opens a session on the compiled pack, fires the rules and
/// derives the decision with its trace.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class PipelineBenchmarks
{
    private byte[] _request = [];

    [ParamsSource(nameof(Examples))]
    public string Example { get; set; } = "";

    public static IEnumerable<string> Examples() => ExampleRequests.Names();

    [GlobalSetup]
    public void Setup()
    {
        _request = ExampleRequests.Bytes(Example);
        // Compiles the pack and checks the example decides, outside the measurement.
        if (Decide() is null) throw new InvalidOperationException($"examples/{Example}.json does not decide");
    }

    [Benchmark]
    public Decision? Decide() =>
        DecisionPipeline.Decide(ExampleRequests.Pack, ExampleRequests.Policies, _request, ExampleRequests.AsOf).Decision;
}
