using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace MgAuth.Benchmarks;

public static class Program
{
    public static void Main(string[] args)
    {
        // `allocations TRACE [TOP]`: a gc-verbose trace's allocations by type (AllocationsByType); anything else runs benchmarks.
        if (args is ["allocations", var trace, ..])
        {
            AllocationsByType.Print(trace, args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 30, Console.Out);
            return;
        }
        // The example names in full (refractory-maintenance is 22 characters; the default column cuts at 20).
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly)
            .Run(args, DefaultConfig.Instance.WithSummaryStyle(SummaryStyle.Default.WithMaxParameterColumnWidth(40)));
    }
}
