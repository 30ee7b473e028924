using BenchmarkDotNet.Attributes;
using MgAuth.Engine;
using MgAuth.Engine.Compilation;
using MgAuth.Engine.Model;

namespace MgAuth.Benchmarks;

/// <summary>Start-up cost: rule definitions compiled into a network.</summary>
[MemoryDiagnoser]
[MedianColumn]
public class CompileBenchmarks
{
    private RuleDefinition[] _definitions = null!;

    [Params(50, 500)]
    public int Rules { get; set; }

    [GlobalSetup]
    public void Setup() => _definitions = RuleSet.Definitions(Rules);

    /// <summary>Compile only: definitions already built.</summary>
    [Benchmark]
    public RuleNetwork Compile() => RuleCompiler.Compile(_definitions);

    /// <summary>The full start-up path: run every rule's Define() and compile.</summary>
    [Benchmark]
    public RuleNetwork DefineAndCompile() => RuleCompiler.Compile(RuleSet.Definitions(Rules));
}
