using BenchmarkDotNet.Attributes;
using NRules;
using NRules.RuleModel;

namespace MgAuth.Benchmarks;

/// <summary>Start-up cost: rule definitions compiled into a session factory.</summary>
[MemoryDiagnoser]
[MedianColumn]
public class CompileBenchmarks
{
    private IRuleDefinition[] _definitions = null!;

    [Params(50, 500)]
    public int Rules { get; set; }

    [GlobalSetup]
    public void Setup() => _definitions = RuleSet.Definitions(Rules);

    /// <summary>Compile only: definitions already built.</summary>
    [Benchmark]
    public ISessionFactory Compile() => RuleSet.Compile(_definitions);

    /// <summary>The full start-up path: activate every rule, run its Define() through the repository, and compile.</summary>
    [Benchmark]
    public ISessionFactory DefineAndCompile() => RuleSet.Compile(RuleSet.Definitions(Rules));
}
