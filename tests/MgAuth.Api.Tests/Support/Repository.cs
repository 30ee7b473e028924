namespace MgAuth.Api.Tests.Support;

/// <summary>The repository's folders (rules, policies, examples), found from the test binaries.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();
    public static string PackFolder => Path.Combine(Root, "rules", "ivig-mg");
    public static string PoliciesFolder => Path.Combine(Root, "policies");
    public static string ExamplesFolder => Path.Combine(Root, "examples");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "MgAuth.sln"))) return dir.FullName;
        throw new InvalidOperationException("Cannot find the repository root (MgAuth.sln) above the test binaries.");
    }
}
