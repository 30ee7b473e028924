using MgAuth.RulePacks;

namespace MgAuth.RulePacks.Tests;

/// <summary>The repository's own pack and policies, compiled once for the whole test run.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();
    public static string PackFolder => Path.Combine(Root, "rules", "ivig-mg");
    public static string PoliciesFolder => Path.Combine(Root, "policies");

    private static readonly Lazy<RulePack> LazyPack = new(() => RulePackCompiler.Load(PackFolder));
    private static readonly Lazy<PolicySet> LazyPolicies = new(() => PolicySet.FromFolder(PoliciesFolder));

    public static RulePack Pack => LazyPack.Value;
    public static PolicySet Policies => LazyPolicies.Value;

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "MgAuth.sln"))) return dir.FullName;
        throw new InvalidOperationException("Cannot find the repository root (MgAuth.sln) above the test binaries.");
    }
}
