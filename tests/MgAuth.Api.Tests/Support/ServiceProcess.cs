using System.Diagnostics;
using System.Net.Sockets;
using MgAuth.Cases.Data;
using MgAuth.Crash;

namespace MgAuth.Api.Tests.Support;

/// <summary>
/// The built service (src/MgAuth.Api, this test build's configuration) as a child process on a free loopback port and
/// a database of the test's own, in Production: what an operator runs, so it can be killed like one.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _log = new();

    private ServiceProcess(Process process, Uri baseUrl)
    {
        _process = process;
        BaseUrl = baseUrl;
    }

    public Uri BaseUrl { get; }
    public int Id => _process.Id;
    public string Log => string.Join('\n', _log);

    /// <summary>MgAuth.Api.dll as built beside this test assembly's configuration (bin/Release or bin/Debug).</summary>
    public static string ApiAssembly { get; } = Path.Combine(Repository.Root, "src", "MgAuth.Api", "bin",
        new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name, "net10.0", "MgAuth.Api.dll");

    public static Task<ServiceProcess> StartAsync(string databasePath) =>
        StartAsync(StorageProvider.Sqlite, $"Data Source={databasePath}");

    /// <summary>The service on the database <paramref name="connectionString"/> names (a replica, when it is PostgreSQL).</summary>
    public static async Task<ServiceProcess> StartAsync(StorageProvider provider, string connectionString)
    {
        Assert.True(File.Exists(ApiAssembly), $"{ApiAssembly} is not built");
        var baseUrl = new Uri($"http://127.0.0.1:{FreePort()}");
        var start = new ProcessStartInfo("dotnet", [ApiAssembly])
        {
            WorkingDirectory = Path.GetDirectoryName(ApiAssembly)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = baseUrl.ToString(),
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Storage__Provider"] = provider.ToString().ToLowerInvariant(),
            ["ConnectionStrings__MgAuth"] = connectionString,
            ["Rules__Pack"] = Repository.PackFolder,
            ["Rules__Policies"] = Repository.PoliciesFolder,
            ["RateLimiting__PermitsPerSecond"] = "1000000",
            ["RateLimiting__Burst"] = "1000000",
            ["Logging__LogLevel__Default"] = "Warning",
            // PAS notifications go to a test's receiver on loopback, looked for every 100 ms.
            ["Subscriptions__AllowPrivateEndpoints"] = "true",
            ["Subscriptions__PollSeconds"] = "0.1",
        })
            start.Environment[name] = value;

        var service = new ServiceProcess(Process.Start(start)!, baseUrl);
        service._process.OutputDataReceived += (_, e) => { if (e.Data is not null) service._log.Enqueue(e.Data); };
        service._process.ErrorDataReceived += (_, e) => { if (e.Data is not null) service._log.Enqueue(e.Data); };
        service._process.BeginOutputReadLine();
        service._process.BeginErrorReadLine();
        var ready = await ServiceReadiness.WaitAsync(baseUrl, TimeSpan.FromSeconds(120), () => service._process.HasExited);
        Assert.True(ready, $"the service did not become ready:\n{service.Log}");
        return service;
    }

    /// <summary>SIGKILL: the process ends at once, mid-request, with nothing flushed or shut down.</summary>
    public void Kill() => _process.Kill();

    /// <summary>Waits for the process to end; its exit code (137 after a SIGKILL).</summary>
    public async Task<int> ExitCodeAsync()
    {
        await _process.WaitForExitAsync();
        return _process.ExitCode;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
