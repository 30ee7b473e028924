namespace MgAuth.RulePacks.Isolation;

/// <summary>
/// What a worker may use: wall-clock time, managed heap (<c>DOTNET_GCHeapHardLimit</c>) and address
/// space (<c>ulimit -v</c>). The runtime needs room beyond its heap for code and stacks, hence the gap.
/// </summary>
public sealed record WorkerLimits
{
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);
    public int HeapMegabytes { get; init; } = 512;
    public int AddressSpaceMegabytes { get; init; } = 8192;

    /// <summary>Workers running at once; more wait their turn (each may take its whole memory limit).</summary>
    public int Concurrency { get; init; } = 2;

    /// <summary>Jobs that may wait for a slot (uploads still being read count too); one more is refused at once.</summary>
    public int QueueLength { get; init; } = 4;

    /// <summary>The worker program (<c>mgauth-worker.dll</c>); by default beside the calling program.</summary>
    public string? WorkerPath { get; init; }
}
