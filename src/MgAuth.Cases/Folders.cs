namespace MgAuth.Cases;

/// <summary>Finds a repository folder (rules/, policies/, examples/) from the working directory or the app's own.</summary>
public static class Folders
{
    /// <summary>data/ at the repository root when running from a clone (dotnet run starts in the project folder), else beside the working directory.</summary>
    public static string Data()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "MgAuth.sln"))) return Path.Combine(dir.FullName, "data");
        return Path.Combine(Directory.GetCurrentDirectory(), "data");
    }

    public static string Find(string? configured, string relative)
    {
        if (!string.IsNullOrEmpty(configured)) return configured;
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, relative);
                if (Directory.Exists(candidate)) return candidate;
            }
        throw new DirectoryNotFoundException($"Cannot find {relative}; set its location in configuration.");
    }
}
