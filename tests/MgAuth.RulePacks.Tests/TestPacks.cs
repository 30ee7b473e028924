using System.Text.Json;
using MgAuth.Domain.Requests;
using MgAuth.RulePacks;

namespace MgAuth.RulePacks.Tests;

/// <summary>Requests taken from the pack's own cases, and throw-away copies of the pack to edit.</summary>
public static class TestPacks
{
    public const string OverCeiling = "cases/015-";
    public const string Exacerbation = "cases/061-";
    public const string Crisis = "cases/078-";
    public const string PreThymectomy = "cases/088-";
    public const string Bridging = "cases/100-";
    public const string RefractoryMaintenance = "cases/113-";

    public static readonly string[] Examples = [OverCeiling, Exacerbation, Crisis, PreThymectomy, Bridging, RefractoryMaintenance];

    public static readonly DateOnly AsOf = new(2026, 11, 22);

    /// <summary>The case whose file name starts with <paramref name="prefix"/> (e.g. <c>cases/061-</c>).</summary>
    public static PackCase Case(string prefix)
    {
        var file = Repository.Pack.Source.Cases.SingleOrDefault(f => f.Path.StartsWith(prefix, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"no pack case starts with {prefix}");
        return PackCase.Parse(file);
    }

    /// <summary>The request of that case, validated as of the case's date.</summary>
    public static AuthorizationRequest Request(string prefix)
    {
        var c = Case(prefix);
        var read = RequestReader.Read(c.Request, c.AsOf);
        Assert.True(read.IsValid, $"{c.File}: {JsonSerializer.Serialize(read.Problem)}");
        return read.Request!;
    }

    public static string StandardYaml => File.ReadAllText(Path.Combine(Repository.PoliciesFolder, "ivig-mg-standard.yaml"));

    public static string RestrictiveYaml => File.ReadAllText(Path.Combine(Repository.PoliciesFolder, "ivig-mg-restrictive.yaml"));
}

/// <summary>
/// A copy of rules/ivig-mg in a fresh temporary folder that is itself named <c>ivig-mg</c>, so
/// problems read <c>ivig-mg/File.cs(line,col)</c> as they do for the real pack. Deleted on dispose.
/// </summary>
public sealed class TempPack : IDisposable
{
    private readonly string _parent;

    public TempPack()
    {
        _parent = Path.Combine(Path.GetTempPath(), "mgauth-tests-" + Guid.NewGuid().ToString("N"));
        Folder = Path.Combine(_parent, "ivig-mg");
        foreach (var file in Directory.EnumerateFiles(Repository.PackFolder, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(Repository.PackFolder, file);
            if (relative.Split(Path.DirectorySeparatorChar)[0] is "bin" or "obj") continue;
            var target = Path.Combine(Folder, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    public string Folder { get; }

    public string PathOf(string relative) => Path.Combine(Folder, relative);

    public void Write(string relative, string text) => File.WriteAllText(PathOf(relative), text);

    public void Dispose()
    {
        try { Directory.Delete(_parent, recursive: true); }
        catch (IOException) { }
    }
}
