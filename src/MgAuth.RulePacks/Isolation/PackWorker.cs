using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace MgAuth.RulePacks.Isolation;

/// <summary>
/// Runs untrusted rule-pack code — compiling a release, running its cases, deciding stored cases
/// again — in a child process (<c>mgauth-worker</c>) with a wall-clock limit, a heap limit, an
/// address-space limit and an empty environment (no connection string, no keys): the parent streams
/// it the release and the cases. A worker that crashes, overflows its stack, runs out of memory or
/// time ends in a <see cref="PackWorkerException"/> saying which; the caller keeps serving. Jobs go through a bounded
/// <see cref="WorkerQueue"/>: one that finds no place is refused with a <see cref="WorkerBusyException"/>.
/// </summary>
public sealed class PackWorker(WorkerLimits limits)
{
    private const int StderrKeep = 16 * 1024;

    public WorkerLimits Limits => limits;

    public WorkerQueue Queue { get; } = new(limits);

    /// <summary>A place in the queue for a person's job, taken before their upload is read (<see cref="WorkerQueue.Admit"/>).</summary>
    public WorkerTicket Admit(string? person) => Queue.Admit(person);

    public async Task<ReleaseCheck> CheckAsync(RuleRelease release, string? onlyPolicy = null, CancellationToken cancellationToken = default)
    {
        ReleaseCheck? check = null;
        await RunAsync(WorkerJob.For(WorkerJob.Check, release, onlyPolicy), NoCases(),
            line => check ??= JsonSerializer.Deserialize<ReleaseCheck>(line, WorkerJson.Options), cancellationToken);
        return check ?? throw new PackWorkerException("it ended without an answer");
    }

    public async Task<IReadOnlyList<Redecision>> ImpactAsync(RuleRelease release, IAsyncEnumerable<StoredCase> cases,
        CancellationToken cancellationToken = default)
    {
        var answers = new List<Redecision>();
        await RunAsync(WorkerJob.For(WorkerJob.Impact, release), cases,
            line => answers.Add(JsonSerializer.Deserialize<Redecision>(line, WorkerJson.Options)!), cancellationToken);
        return answers;
    }

    /// <summary>How the worker is started: the runtime, the worker, the limits, and nothing from this process's environment.</summary>
    public ProcessStartInfo StartInfo()
    {
        var worker = limits.WorkerPath ?? Path.Combine(AppContext.BaseDirectory, "mgauth-worker.dll");
        if (!File.Exists(worker)) throw new FileNotFoundException($"the rule-pack worker is not at {worker}", worker);
        var info = new ProcessStartInfo
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = new UTF8Encoding(false),
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        if (OperatingSystem.IsWindows())
        {
            info.FileName = DotnetHost();
        }
        else
        {
            // The shell sets the address-space limit on itself, then becomes the runtime.
            info.FileName = "/bin/sh";
            info.ArgumentList.Add("-c");
            info.ArgumentList.Add("ulimit -v \"$1\" && shift && exec \"$@\"");
            info.ArgumentList.Add("mgauth-worker");
            info.ArgumentList.Add((limits.AddressSpaceMegabytes * 1024L).ToString(System.Globalization.CultureInfo.InvariantCulture));
            info.ArgumentList.Add(DotnetHost());
        }
        info.ArgumentList.Add(worker);

        info.Environment.Clear();
        info.Environment["PATH"] = "/usr/bin:/bin";
        if (Environment.GetEnvironmentVariable("DOTNET_ROOT") is { } root) info.Environment["DOTNET_ROOT"] = root;
        info.Environment["DOTNET_GCHeapHardLimit"] = $"0x{limits.HeapMegabytes * 1024L * 1024L:X}";
        info.Environment["DOTNET_gcServer"] = "0";
        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_EnableDiagnostics"] = "0";
        return info;
    }

    private async Task RunAsync(WorkerJob job, IAsyncEnumerable<StoredCase> cases, Action<string> onLine, CancellationToken cancellationToken)
    {
        // The caller's place when it took one (the service, before reading the upload), else one taken now.
        var carried = WorkerTicket.CarriedFor(Queue);
        var ticket = carried ?? Queue.Admit(null);
        try
        {
            await ticket.TakeSlotAsync(cancellationToken);
            try
            {
                await RunLockedAsync(job, cases, onLine, cancellationToken);
            }
            finally { ticket.ReleaseSlot(); }
        }
        finally
        {
            if (carried is null) ticket.Dispose();
        }
    }

    private async Task RunLockedAsync(WorkerJob job, IAsyncEnumerable<StoredCase> cases, Action<string> onLine, CancellationToken cancellationToken)
    {
        using var process = Process.Start(StartInfo()) ?? throw new PackWorkerException("it could not be started");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limits.Timeout);

        var done = false;
        var stderr = ReadBoundedAsync(process.StandardError);
        var stdout = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                if (line.StartsWith("{\"done\":", StringComparison.Ordinal)) done = true;
                else onLine(line);
            }
        });
        var stdin = Task.Run(async () =>
        {
            try
            {
                var writer = process.StandardInput;
                await writer.WriteLineAsync(JsonSerializer.Serialize(job, WorkerJson.Options));
                await foreach (var c in cases.WithCancellation(timeout.Token))
                    await writer.WriteLineAsync(JsonSerializer.Serialize(c, WorkerJson.Options));
                writer.Close();
            }
            // The worker died before it read everything: its exit says why.
            catch (IOException) { }
        });

        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            cancellationToken.ThrowIfCancellationRequested();
            throw new PackWorkerException($"timed out after {limits.Timeout.TotalSeconds:0} s");
        }
        await Task.WhenAll(stdout, stdin);
        var errors = await stderr;
        if (process.ExitCode != WorkerExit.Ok || !done) throw new PackWorkerException(Explain(process.ExitCode, errors));
    }

    /// <summary>What became of a worker, from its exit code and what the runtime wrote; only exception types are quoted.</summary>
    internal string Explain(int exitCode, string stderr)
    {
        if (stderr.Contains("Stack overflow", StringComparison.Ordinal)) return "stack overflow";
        if (exitCode == WorkerExit.OutOfMemory || stderr.Contains("OutOfMemoryException", StringComparison.Ordinal)
            || stderr.Contains("Out of memory", StringComparison.OrdinalIgnoreCase))
            return $"ran out of memory (its limit is {limits.HeapMegabytes} MB)";
        if (exitCode == WorkerExit.DoesNotCompile) return "the release does not compile";
        if (System.Text.RegularExpressions.Regex.Match(stderr, @"Unhandled exception\. ([A-Za-z0-9_.]+)") is { Success: true } unhandled)
            return $"crashed: pack code threw {unhandled.Groups[1].Value} where nothing catches it";
        return exitCode == WorkerExit.Ok ? "it ended without an answer" : $"crashed (exit code {exitCode})";
    }

    private static async Task<string> ReadBoundedAsync(StreamReader reader)
    {
        var kept = new StringBuilder();
        var buffer = new char[4096];
        int read;
        while ((read = await reader.ReadAsync(buffer)) > 0)
            if (kept.Length < StderrKeep) kept.Append(buffer, 0, Math.Min(read, StderrKeep - kept.Length));
        return kept.ToString();
    }

    private static async IAsyncEnumerable<StoredCase> NoCases()
    {
        await Task.CompletedTask;
        yield break;
    }

    // The runtime that runs this process runs the worker: <root>/shared/Microsoft.NETCore.App/<version>/ → <root>/dotnet.
    private static string DotnetHost()
    {
        if (Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet") return self;
        var root = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        var host = Path.Combine(root, OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet");
        return File.Exists(host) ? host : "dotnet";
    }
}
