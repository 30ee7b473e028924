using MgAuth.Testing;

namespace MgAuth.Api.Tests.Support;

/// <summary>The repository's folders (rules, policies, examples), found from the test binaries.</summary>
public static class Repository
{
    public static string Root => RepositoryFolders.Root;
    public static string PackFolder => RepositoryFolders.Pack;
    public static string PoliciesFolder => RepositoryFolders.Policies;
    public static string ExamplesFolder => RepositoryFolders.Examples;
}
