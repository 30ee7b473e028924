using System.Reflection;

namespace MgAuth.Testing;

/// <summary>
/// The repository's folders, as the build saw them: tests/Directory.Build.props bakes the repository root into each
/// test assembly (<see cref="AssemblyMetadataAttribute"/> "RepositoryRoot"). Linked into every test project.
/// </summary>
internal static class RepositoryFolders
{
    public static string Root { get; } = BakedRoot();

    /// <summary>rules/ivig-mg: the real pack.</summary>
    public static string Pack => Path.Combine(Root, "rules", "ivig-mg");

    /// <summary>policies/: the policy documents.</summary>
    public static string Policies => Path.Combine(Root, "policies");

    /// <summary>examples/: the contract's example requests (the only copy).</summary>
    public static string Examples => Path.Combine(Root, "examples");

    private static string BakedRoot()
    {
        var root = typeof(RepositoryFolders).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .SingleOrDefault(attribute => attribute.Key == "RepositoryRoot")?.Value;
        if (root is null || !File.Exists(Path.Combine(root, "MgAuth.sln")))
            throw new InvalidOperationException($"The repository root baked in at build time ({root ?? "none"}) holds no MgAuth.sln; rebuild the tests where the clone is.");
        return root;
    }
}
