using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using MgAuth.Domain.Decisions;
using MgAuth.Domain.Requests;

namespace MgAuth.Cli;

/// <summary>
/// <c>mgauth bench</c>: decides the example requests in-process for a few seconds and reports
/// decisions per second and latency per decision (JSON bytes in, decision out: validation, facts,
/// rules, derivation), beside the cost of only deserializing the same JSON, as a yardstick.
/// </summary>
public static class BenchCommand
{
    public static int Run(Options options, TextWriter stdout)
    {
        var seconds = options.Int("--seconds", 5);
        var folder = options.Folder("--examples", "examples");
        var requests = Directory.EnumerateFiles(folder, "*.json").Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToArray();
        if (requests.Length == 0) throw new UsageException($"no *.json requests in {folder}");
        var context = PackContext.Load(options);
        var asOf = new DateOnly(2026, 11, 22);

        Measure(context, requests, asOf, TimeSpan.FromSeconds(1), out _, out _);
        var (allocatedBefore, collectionsBefore) = (GC.GetAllocatedBytesForCurrentThread(), GC.CollectionCount(0));
        var elapsed = Measure(context, requests, asOf, TimeSpan.FromSeconds(seconds), out var decisions, out var parses);
        var (allocated, collections) = (GC.GetAllocatedBytesForCurrentThread() - allocatedBefore, GC.CollectionCount(0) - collectionsBefore);

        decisions.Sort();
        parses.Sort();
        var perSecond = decisions.Count / elapsed.TotalSeconds;
        stdout.WriteLine($"{decisions.Count} decisions of {requests.Length} example requests in {elapsed.TotalSeconds:0.0} s on {Environment.ProcessorCount} cores");
        // Allocation includes the parse-only yardstick; gen-0 collections land in either timing.
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"allocated_kb_per_decision={allocated / 1024.0 / decisions.Count:0.0} gen0_collections={collections}"));
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"decisions_per_s={perSecond:0} decision_p50_us={Percentile(decisions, 0.50):0.0} decision_p99_us={Percentile(decisions, 0.99):0.0} json_parse_p50_us={Percentile(parses, 0.50):0.0} allocated_kb_per_decision={allocated / 1024.0 / decisions.Count:0.0}"));
        return Cli.Ok;
    }

    // Single-threaded: per-decision latency, with the parse-only yardstick timed on the same bytes in the same loop.
    private static TimeSpan Measure(PackContext context, byte[][] requests, DateOnly asOf, TimeSpan duration,
        out List<double> decisions, out List<double> parses)
    {
        decisions = new List<double>(1 << 20);
        parses = new List<double>(1 << 20);
        var run = Stopwatch.StartNew();
        while (run.Elapsed < duration)
        {
            foreach (var json in requests)
            {
                var start = Stopwatch.GetTimestamp();
                var parsed = JsonSerializer.Deserialize<AuthorizationRequest>(json, MgAuthJson.Compact);
                var parsedAt = Stopwatch.GetTimestamp();
                var (decision, problem) = context.Decide(json, asOf, null, explain: false);
                var decidedAt = Stopwatch.GetTimestamp();
                if (parsed is null || decision is null)
                    throw new InvalidOperationException($"an example was not decided: {problem?.Detail}");
                parses.Add(Stopwatch.GetElapsedTime(start, parsedAt).TotalMicroseconds);
                decisions.Add(Stopwatch.GetElapsedTime(parsedAt, decidedAt).TotalMicroseconds);
            }
        }
        return run.Elapsed;
    }

    private static double Percentile(List<double> sorted, double p) => sorted[(int)Math.Min(sorted.Count - 1, Math.Floor(p * sorted.Count))];
}
