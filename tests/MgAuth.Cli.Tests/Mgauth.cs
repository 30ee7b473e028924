using System.Text.Json;
using MgAuth.Testing;

namespace MgAuth.Cli.Tests;

/// <summary>What one <c>mgauth</c> run printed and returned.</summary>
public sealed record CliRun(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Stdout as one JSON document (single-file output).</summary>
    public JsonElement Json
    {
        get
        {
            using var document = JsonDocument.Parse(Stdout);
            return document.RootElement.Clone();
        }
    }

    /// <summary>Stdout as JSON lines (several files).</summary>
    public IReadOnlyList<JsonElement> Lines =>
        Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line =>
            {
                using var document = JsonDocument.Parse(line);
                return document.RootElement.Clone();
            })
            .ToArray();

    public override string ToString() => $"exit {ExitCode}{Environment.NewLine}stdout:{Environment.NewLine}{Stdout}{Environment.NewLine}stderr:{Environment.NewLine}{Stderr}";
}

/// <summary>Runs the CLI in-process against the repository's own pack and policies.</summary>
public static class Mgauth
{
    public const string AsOf = "2026-11-22";

    public static string Root => RepositoryFolders.Root;
    public static string RulesFolder => RepositoryFolders.Pack;
    public static string PoliciesFolder => RepositoryFolders.Policies;

    /// <summary>A contract example, copied from examples/ beside the test binaries at build time (see the csproj).</summary>
    public static string Example(string name) => Path.Combine(AppContext.BaseDirectory, "Examples", name);

    public static readonly string[] ExampleNames =
        ["bridging-steroids.json", "crisis.json", "exacerbation.json", "over-ceiling.json", "pre-thymectomy.json", "refractory-maintenance.json"];

    /// <summary><c>mgauth ARGS --rules … --policies …</c>, with <paramref name="stdin"/> as standard input.</summary>
    public static async Task<CliRun> RunWithStdinAsync(string stdin, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        string[] all = [.. args, "--rules", RulesFolder, "--policies", PoliciesFolder];
        var exit = await Cli.RunAsync(all, new StringReader(stdin), stdout, stderr);
        return new CliRun(exit, stdout.ToString(), stderr.ToString());
    }

    public static Task<CliRun> RunAsync(params string[] args) => RunWithStdinAsync("", args);

    /// <summary><c>mgauth decide FILES… --as-of 2026-11-22 [more]</c>.</summary>
    public static Task<CliRun> DecideAsync(params string[] filesAndOptions) =>
        RunAsync(["decide", .. filesAndOptions, "--as-of", AsOf]);
}

/// <summary>A temporary folder for request files written by a test; deleted on dispose.</summary>
public sealed class TempFiles : IDisposable
{
    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "mgauth-cli-tests-" + Guid.NewGuid().ToString("N"));

    public TempFiles() => Directory.CreateDirectory(Folder);

    public string Write(string name, string text)
    {
        var path = Path.Combine(Folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose()
    {
        try { Directory.Delete(Folder, recursive: true); }
        catch (IOException) { }
    }
}
