using MgAuth.Domain.Facts;
using MgAuth.Domain.Policies;
using MgAuth.RulePacks;
using MgAuth.Testing;

namespace MgAuth.Benchmarks;

/// <summary>
/// The repository's own pack and policies, compiled once a process, and the contract's example requests
/// (examples/*.json) as the HTTP front door holds them: UTF-8 bytes.
/// </summary>
public static class ExampleRequests
{
    /// <summary>The date the examples (and the pack's cases made from them) are decided as of.</summary>
    public static readonly DateOnly AsOf = new(2026, 11, 22);

    private static readonly Lazy<RulePack> LazyPack = new(() => RulePackCompiler.Load(RepositoryFolders.Pack));
    private static readonly Lazy<PolicySet> LazyPolicies = new(() => PolicySet.FromFolder(RepositoryFolders.Policies));

    public static RulePack Pack => LazyPack.Value;
    public static PolicySet Policies => LazyPolicies.Value;

    /// <summary>The example names (file names without .json), in order.</summary>
    public static IEnumerable<string> Names() =>
        Directory.EnumerateFiles(RepositoryFolders.Examples, "*.json").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal)!;

    /// <summary>
    /// The examples a benchmark runs over: all of them, or those named in MGAUTH_BENCH_EXAMPLES (comma-separated), for a
    /// quicker budget run.
    /// </summary>
    public static IEnumerable<string> Chosen() =>
        Environment.GetEnvironmentVariable("MGAUTH_BENCH_EXAMPLES") is { Length: > 0 } chosen
            ? chosen.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            : Names();

    public static byte[] Bytes(string name) => File.ReadAllBytes(Path.Combine(RepositoryFolders.Examples, name + ".json"));

    /// <summary>The example read and matched to its policy; a benchmark of a request that does not decide measures nothing.</summary>
    public static (RequestFacts Facts, Policy Policy) Facts(string name)
    {
        var read = DecisionPipeline.Read(Bytes(name), AsOf, Policies);
        if (read.Problem is not null) throw new InvalidOperationException($"examples/{name}.json is rejected: {read.Problem.Title}");
        return (FactBuilder.Build(read.Request!, read.Policy!, AsOf, []), read.Policy!);
    }
}
