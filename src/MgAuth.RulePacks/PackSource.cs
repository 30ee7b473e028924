using System.Security.Cryptography;
using System.Text;

namespace MgAuth.RulePacks;

/// <summary>The files of a rule pack, read once, in a stable order, with their content hash.</summary>
public sealed record PackSource(string Name, IReadOnlyList<PackFile> Files)
{
    /// <summary>SHA-256 over every file: its path, its length and its bytes, in ordinal path order.</summary>
    public string Sha256 { get; } = Hash(Files);

    public IEnumerable<PackFile> RuleSources => Files.Where(f => f.Path.EndsWith(".cs", StringComparison.Ordinal));

    public IEnumerable<PackFile> Cases => Files.Where(f => f.Path.StartsWith("cases/", StringComparison.Ordinal)
        && f.Path.EndsWith(".json", StringComparison.Ordinal));

    public PackFile? Find(string path) => Files.FirstOrDefault(f => f.Path == path);

    /// <summary>Reads <paramref name="folder"/>, leaving out build output and editor leftovers.</summary>
    public static PackSource FromFolder(string folder)
    {
        var root = Path.GetFullPath(folder);
        if (!Directory.Exists(root))
            throw new DirectoryNotFoundException($"No rule pack at {folder}.");
        var files = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(root, path).Replace('\\', '/'))
            .Where(path => !IsIgnored(path))
            .Order(StringComparer.Ordinal)
            .Select(path => new PackFile(path, File.ReadAllBytes(Path.Combine(root, path))))
            .ToArray();
        return new PackSource(Path.GetFileName(root), files);
    }

    private static bool IsIgnored(string path) =>
        path.StartsWith("bin/", StringComparison.Ordinal) || path.StartsWith("obj/", StringComparison.Ordinal)
        || path.Split('/').Any(part => part.StartsWith('.')) || path.EndsWith('~');

    private static string Hash(IReadOnlyList<PackFile> files)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in files.OrderBy(f => f.Path, StringComparer.Ordinal))
        {
            sha.AppendData(Encoding.UTF8.GetBytes($"{file.Path}\n{file.Content.Length}\n"));
            sha.AppendData(file.Content);
        }
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }
}

public sealed record PackFile(string Path, byte[] Content)
{
    public string Text => Encoding.UTF8.GetString(Content);
}
