namespace MgAuth.RulePacks.Isolation;

/// <summary>Why a job was not let in: the queue behind the worker slots is full, or its person already has a job in it.</summary>
public enum WorkerBusyReason
{
    QueueFull,
    PersonHasJob,
}

/// <summary>A job the worker queue did not let in, and when a place is likely to be free.</summary>
public sealed class WorkerBusyException(WorkerBusyReason reason, TimeSpan retryAfter)
    : Exception(reason == WorkerBusyReason.QueueFull ? "every place in the rule-pack worker's queue is taken" : "this person already has a job in the rule-pack worker's queue")
{
    public WorkerBusyReason Reason { get; } = reason;

    public TimeSpan RetryAfter { get; } = retryAfter;
}

/// <summary>
/// Who may use the worker: at most <see cref="WorkerLimits.Concurrency"/> jobs run and <see cref="WorkerLimits.QueueLength"/>
/// wait; a job beyond that, or a second one of a person who already has one in, is refused at once rather than queued —
/// so one person's endless jobs cannot keep another's waiting, and the uploads held in memory are bounded. A place is
/// taken before the upload is read (<see cref="Admit"/>) and kept until the job is done.
/// </summary>
public sealed class WorkerQueue(WorkerLimits limits, TimeProvider? clock = null)
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _slots = new(limits.Concurrency, limits.Concurrency);
    private readonly List<WorkerTicket> _admitted = [];

    /// <summary>Jobs let in: running, waiting for a slot, or still being uploaded.</summary>
    public int Admitted
    {
        get { lock (_gate) return _admitted.Count; }
    }

    /// <summary>Jobs whose worker is running.</summary>
    public int Running
    {
        get { lock (_gate) return _admitted.Count(t => t.StartedAt is not null); }
    }

    /// <summary>A place in the queue for <paramref name="person"/> (null: no one in particular, e.g. the command line).</summary>
    /// <exception cref="WorkerBusyException">The queue is full, or the person already has a place.</exception>
    public WorkerTicket Admit(string? person)
    {
        lock (_gate)
        {
            var now = _clock.GetUtcNow();
            if (person is not null && _admitted.Find(t => string.Equals(t.Person, person, StringComparison.OrdinalIgnoreCase)) is { } own)
                throw new WorkerBusyException(WorkerBusyReason.PersonHasJob, Remaining(own, now));
            if (_admitted.Count >= limits.Concurrency + limits.QueueLength)
                throw new WorkerBusyException(WorkerBusyReason.QueueFull,
                    _admitted.Where(t => t.StartedAt is not null).Select(t => Remaining(t, now)).DefaultIfEmpty(limits.Timeout).Min());
            var ticket = new WorkerTicket(this, person);
            _admitted.Add(ticket);
            return ticket;
        }
    }

    // A running job ends by its time limit at the latest; one not started yet may take the whole limit once it starts.
    private TimeSpan Remaining(WorkerTicket ticket, DateTimeOffset now)
    {
        var left = ticket.StartedAt is { } started ? started + limits.Timeout - now : limits.Timeout;
        return left < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : left;
    }

    internal async Task TakeSlotAsync(WorkerTicket ticket, CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken);
        lock (_gate) ticket.StartedAt = _clock.GetUtcNow();
    }

    internal void ReleaseSlot(WorkerTicket ticket)
    {
        lock (_gate) ticket.StartedAt = null;
        _slots.Release();
    }

    internal void Leave(WorkerTicket ticket)
    {
        lock (_gate) _admitted.Remove(ticket);
    }
}

/// <summary>
/// A place in the <see cref="WorkerQueue"/>, held from before the upload is read until the job is done. While a caller
/// <see cref="Carry"/>s it, the worker runs that caller's jobs on it instead of queueing them again.
/// </summary>
public sealed class WorkerTicket : IDisposable
{
    private static readonly AsyncLocal<WorkerTicket?> Carried = new();
    private readonly WorkerQueue _queue;
    private int _disposed;

    internal WorkerTicket(WorkerQueue queue, string? person) => (_queue, Person) = (queue, person);

    public string? Person { get; }

    /// <summary>When its worker started (null while it waits or is uploaded).</summary>
    public DateTimeOffset? StartedAt { get; internal set; }

    /// <summary>The ticket carried by the current call, if it is one of <paramref name="queue"/>'s.</summary>
    internal static WorkerTicket? CarriedFor(WorkerQueue queue) => Carried.Value is { } t && t._queue == queue && t._disposed == 0 ? t : null;

    /// <summary>Until disposed, the worker's jobs in this call run on this ticket.</summary>
    public IDisposable Carry()
    {
        var before = Carried.Value;
        Carried.Value = this;
        return new Restore(before);
    }

    /// <summary>Waits for a worker slot (first come, first served); the job runs once it has one.</summary>
    public Task TakeSlotAsync(CancellationToken cancellationToken) => _queue.TakeSlotAsync(this, cancellationToken);

    /// <summary>The job is done with its slot.</summary>
    public void ReleaseSlot() => _queue.ReleaseSlot(this);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0) _queue.Leave(this);
    }

    private sealed class Restore(WorkerTicket? before) : IDisposable
    {
        public void Dispose() => Carried.Value = before;
    }
}
