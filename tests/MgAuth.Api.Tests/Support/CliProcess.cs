using System.Diagnostics;

namespace MgAuth.Api.Tests.Support;

/// <summary>The built <c>mgauth</c> command (src/MgAuth.Cli, this test build's configuration) run as a child process.</summary>
public static class CliProcess
{
    public static string CliAssembly { get; } = Path.Combine(Repository.Root, "src", "MgAuth.Cli", "bin",
        new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name, "net10.0", "mgauth.dll");

    public static async Task<(int Exit, string Out, string Err)> RunAsync(IEnumerable<string> args, Dictionary<string, string> environment)
    {
        Assert.True(File.Exists(CliAssembly), $"{CliAssembly} is not built");
        var start = new ProcessStartInfo("dotnet", [CliAssembly, .. args])
        {
            WorkingDirectory = Repository.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout, await stderr);
    }
}
