using System.Text;
using System.Text.Json;
using MgAuth.RulePacks.Isolation;

namespace MgAuth.Worker;

/// <summary>Reads the job, runs it, writes its answer and <see cref="WorkerDone"/>; exit codes say what went wrong.</summary>
public static class WorkerProgram
{
    public static int Run(Stream input, Stream output)
    {
        // Pack code may catch an OutOfMemoryException and carry on; the worker still reports it.
        var outOfMemory = false;
        AppDomain.CurrentDomain.FirstChanceException += (_, e) =>
        {
            if (e.Exception is OutOfMemoryException) outOfMemory = true;
        };

        using var reader = new StreamReader(input, new UTF8Encoding(false));
        using var writer = new StreamWriter(output, new UTF8Encoding(false)) { AutoFlush = false };
        var header = reader.ReadLine();
        var job = header is null ? null : JsonSerializer.Deserialize<WorkerJob>(header, WorkerJson.Options);
        if (job is null)
        {
            Console.Error.WriteLine("no job on standard input");
            return WorkerExit.BadJob;
        }

        switch (job.Kind)
        {
            case WorkerJob.Check:
                Write(writer, CheckJob.Run(job));
                break;
            case WorkerJob.Impact:
                if (!ImpactJob.Run(job, reader, line => Write(writer, line))) return WorkerExit.DoesNotCompile;
                break;
            default:
                Console.Error.WriteLine($"unknown job '{job.Kind}'");
                return WorkerExit.BadJob;
        }

        // A finalizer in pack code runs when the runtime decides: make it run here, not in a later process.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        if (outOfMemory) return WorkerExit.OutOfMemory;
        Write(writer, new WorkerDone());
        writer.Flush();
        return WorkerExit.Ok;
    }

    private static void Write<T>(StreamWriter writer, T value) => writer.WriteLine(JsonSerializer.Serialize(value, WorkerJson.Options));
}
