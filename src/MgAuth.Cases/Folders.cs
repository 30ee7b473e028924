namespace MgAuth.Cases;

/// <summary>Finds a repository folder (rules/, policies/, examples/) from the working directory or the app's own.</summary>
public static class Folders
{
    /// <summary>data/ at the repository root when running from a clone (dotnet run starts in the project folder), else beside the working directory.</summary>
    public static string Data() =>
        Path.Combine(Above(Directory.GetCurrentDirectory(), "MgAuth.sln") is { } solution ? Path.GetDirectoryName(solution)! : Directory.GetCurrentDirectory(), "data");

    public static string Find(string? configured, string relative) =>
        !string.IsNullOrEmpty(configured) ? configured
        : Above(Directory.GetCurrentDirectory(), relative) ?? Above(AppContext.BaseDirectory, relative)
            ?? throw new DirectoryNotFoundException($"Cannot find {relative}; set its location in configuration.");

    /// <summary>
    /// The nearest <paramref name="relative"/> (a folder or a file) in <paramref name="start"/> or a folder above it;
    /// null when there is none. The one walk up the folders: the service's and the command line's.
    /// </summary>
    public static string? Above(string start, string relative)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, relative);
            if (Path.Exists(candidate)) return candidate;
        }
        return null;
    }
}
