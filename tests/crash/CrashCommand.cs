using System.Diagnostics;
using System.Globalization;

namespace MgAuth.Crash;

/// <summary>
/// <c>mgauth-crash load --url U --key K --examples DIR --requests N --concurrency C --acked FILE [--kill-pid PID --kill-after N]</c>:
/// the load, with acknowledgements appended to FILE, SIGKILLing PID after N of them.<br/>
/// <c>mgauth-crash ready --url U --seconds S</c>: waits until the service is ready; exit 1 when it is not in time.<br/>
/// <c>mgauth-crash check --db PATH --acked FILE</c>: the store's invariants; exit 1 when one is broken.
/// </summary>
public static class CrashCommand
{
    public static async Task<int> Main(string[] args)
    {
        string Arg(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault()
            ?? throw new ArgumentException($"{name} is required");
        int Number(string name) => int.Parse(Arg(name), CultureInfo.InvariantCulture);
        switch (args.FirstOrDefault())
        {
            case "load":
                var client = new LoadClient(new Uri(Arg("--url")), Arg("--key"), LoadClient.LoadExamples(Arg("--examples")),
                    $"M-CR{Environment.ProcessId}");
                var victim = args.Contains("--kill-pid") ? Process.GetProcessById(Number("--kill-pid")) : null;
                var report = await client.RunAsync(Number("--requests"), Number("--concurrency"),
                    victim is null ? null : Number("--kill-after"), () => victim!.Kill()); // Kill is SIGKILL on Unix
                await File.AppendAllLinesAsync(Arg("--acked"), report.Acknowledged.Select(a => a.ToString()));
                Console.WriteLine($"load: {report}");
                return 0;
            case "ready":
                return await ServiceReadiness.WaitAsync(new Uri(Arg("--url")), TimeSpan.FromSeconds(Number("--seconds"))) ? 0 : 1;
            case "check":
                var acked = Arg("--acked");
                var acknowledged = File.Exists(acked) ? File.ReadLines(acked).Select(Acknowledgement.Parse).ToArray() : [];
                var store = StoreCheck.Run(Arg("--db"), acknowledged);
                Console.WriteLine($"check: {store}");
                return store.Holds ? 0 : 1;
            default:
                Console.Error.WriteLine("usage: mgauth-crash load … | ready … | check …  (see tests/crash/run.sh)");
                return 2;
        }
    }
}
