using System.Text.Json;

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

    public static string Root { get; } = FindRoot();
    public static string RulesFolder => Path.Combine(Root, "rules", "ivig-mg");
    public static string PoliciesFolder => Path.Combine(Root, "policies");

    /// <summary>The copied contract example (tests/MgAuth.Cli.Tests/Examples, copied to the output folder).</summary>
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

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "MgAuth.sln"))) return dir.FullName;
        throw new InvalidOperationException("Cannot find the repository root (MgAuth.sln) above the test binaries.");
    }
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
