using MgAuth.RulePacks;
using MgAuth.Testing;

namespace MgAuth.RulePacks.Tests;

/// <summary>The repository's own pack and policies, compiled once for the whole test run.</summary>
public static class Repository
{
    public static string Root => RepositoryFolders.Root;
    public static string PackFolder => RepositoryFolders.Pack;
    public static string PoliciesFolder => RepositoryFolders.Policies;

    private static readonly Lazy<RulePack> LazyPack = new(() => RulePackCompiler.Load(PackFolder));
    private static readonly Lazy<PolicySet> LazyPolicies = new(() => PolicySet.FromFolder(PoliciesFolder));

    public static RulePack Pack => LazyPack.Value;
    public static PolicySet Policies => LazyPolicies.Value;
}
