using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace MgAuth.Benchmarks;

/// <summary>
/// What a process allocated, by type: the runtime's allocation samples (one event about every 100 KB, naming the type
/// that crossed the mark) in a trace taken with <c>dotnet-trace collect --profile gc-verbose</c>, summed by type. A
/// sample, not a count: read shares of a few percent as ± one.
/// </summary>
public static class AllocationsByType
{
    public static void Print(string trace, int top, TextWriter output)
    {
        var byType = new Dictionary<string, long>(StringComparer.Ordinal);
        long total = 0;
        using (var source = new EventPipeEventSource(trace))
        {
            source.Clr.GCAllocationTick += (GCAllocationTickTraceData e) =>
            {
                var type = e.TypeName ?? "?";
                byType[type] = byType.GetValueOrDefault(type) + e.AllocationAmount64;
                total += e.AllocationAmount64;
            };
            source.Process();
        }
        output.WriteLine($"{total / 1024 / 1024} MB sampled");
        foreach (var (type, bytes) in byType.OrderByDescending(t => t.Value).Take(top))
            output.WriteLine($"{100.0 * bytes / Math.Max(1, total),5:0.0} %  {type}");
    }
}
