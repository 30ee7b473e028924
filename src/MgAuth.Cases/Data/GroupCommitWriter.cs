using System.Data.Common;
using System.Diagnostics;
using System.Threading.Channels;
using MgAuth.Cases.Telemetry;

namespace MgAuth.Cases.Data;

/// <summary>
/// A commit costs far more than the rows in it (SQLite's one writer, PostgreSQL's WAL flush), so writes queue here and
/// a loop commits whatever has queued up in one transaction (group commit): one loop on SQLite, a few on PostgreSQL
/// (<c>transactions</c>), each taking what has queued when it is free. Each write runs inside
/// its own savepoint: one that fails is rolled back alone and its caller gets the error after the rest committed. A
/// write's task completes only after its commit. What differs between the stores is passed in: how a connection is
/// opened and a transaction begun, and whether writes run again alone when their batch failed for a reason not their own.
/// </summary>
public sealed class GroupCommitWriter : IDatabaseWriter
{
    private const int MaxBatch = 128;
    private const string Savepoint = "write";
    private readonly Func<CancellationToken, Task<DbConnection>> _open;
    private readonly Func<DbConnection, Task<DbTransaction>> _begin;
    private readonly Func<Exception, bool>? _conflict;
    private readonly MgAuthTelemetry? _telemetry;
    private long _retried;
    // Not SingleReader: that channel cannot count what is queued.
    private readonly Channel<Work> _queue = Channel.CreateUnbounded<Work>();

    /// <param name="open">Opens the connection a transaction runs on.</param>
    /// <param name="begin">Begins the transaction (SQLite takes the write lock at once; PostgreSQL as it writes).</param>
    /// <param name="transactions">
    /// How many batches may be open at once. SQLite: one (it has one writer). PostgreSQL: a few, so that a batch's round
    /// trips to the server do not hold up the next (on busy cores every round trip waits for the scheduler too).
    /// </param>
    /// <param name="conflict">
    /// Whether a write's error is another transaction's doing or the connection's, not the write's own (PostgreSQL: a
    /// deadlock or serialization failure with another replica's batch, a lost connection); such a write runs again alone
    /// in its own transaction after the batch committed, and so does every write of a batch that failed outside the
    /// writes before its commit (a connection lost, a savepoint refused). Only what fails then reaches the callers. Null:
    /// nothing runs again (SQLite: its one writer has nobody to conflict with, and a locked or failing file would fail
    /// each write alone the same way).
    /// </param>
    public GroupCommitWriter(Func<CancellationToken, Task<DbConnection>> open, Func<DbConnection, Task<DbTransaction>> begin,
        int transactions = 1, Func<Exception, bool>? conflict = null, MgAuthTelemetry? telemetry = null)
    {
        _open = open;
        _begin = begin;
        Transactions = transactions;
        _conflict = conflict;
        _telemetry = telemetry;
        // The loop outlives whoever built the writer (often a request): it takes none of that caller's context, its span included.
        using (ExecutionContext.SuppressFlow())
            for (var i = 0; i < transactions; i++) _ = Task.Run(LoopAsync);
    }

    /// <summary>How many batches may be open at once (one loop each).</summary>
    public int Transactions { get; }

    /// <summary>Writes queued for the next batch.</summary>
    public int Queued => _queue.Reader.Count;

    /// <summary>Writes run again alone since the start, their first run having failed for a reason not their own.</summary>
    public long Retried => Interlocked.Read(ref _retried);

    public Task WriteAsync(Func<DbConnection, DbTransaction, Task> write, CancellationToken cancellationToken = default)
    {
        var work = new Work(write, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(work)) throw new InvalidOperationException("the database writer has stopped");
        return work.Done.Task.WaitAsync(cancellationToken);
    }

    private async Task LoopAsync()
    {
        var batch = new List<Work>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var work)) batch.Add(work);
            var again = await CommitAsync(batch, mayRetry: _conflict is not null);
            // Each alone: whatever conflicted in the batch cannot take the rest down with it a second time.
            foreach (var work in again)
            {
                Interlocked.Increment(ref _retried);
                await CommitAsync([work], mayRetry: false);
            }
        }
    }

    /// <summary>Commits <paramref name="batch"/> in one transaction; answers the writes to run again alone (only if <paramref name="mayRetry"/>).</summary>
    private async Task<IReadOnlyList<Work>> CommitAsync(IReadOnlyList<Work> batch, bool mayRetry)
    {
        var written = new List<Work>(batch.Count);
        var failed = new List<(Work Work, Exception Error)>();
        var again = new List<Work>();
        var committing = false;
        // One span per commit, a root: its writes come from many requests.
        using var span = MgAuthTelemetry.Source.StartActivity("mgauth.writer.commit");
        span?.SetTag("mgauth.writer.batch_size", batch.Count);
        try
        {
            await using var connection = await _open(CancellationToken.None);
            await using var transaction = await _begin(connection);
            foreach (var work in batch)
            {
                await transaction.SaveAsync(Savepoint);
                try
                {
                    await work.Write(connection, transaction);
                    await transaction.ReleaseAsync(Savepoint);
                    written.Add(work);
                }
                catch (Exception e)
                {
                    // A broken connection fails here too, and so the whole batch, below.
                    await transaction.RollbackAsync(Savepoint);
                    await transaction.ReleaseAsync(Savepoint);
                    // Reported after the commit: a caller that reacts by reading (a duplicate idempotency key
                    // looks up the winner) must see what the rest of the batch wrote.
                    if (mayRetry && _conflict!(e)) again.Add(work);
                    else failed.Add((work, e));
                }
            }
            committing = true;
            await transaction.CommitAsync();
        }
        catch (Exception e)
        {
            span?.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
            // Nothing of this batch was committed. Before the commit, outside the writes (a connection lost, a savepoint
            // refused): every write runs again alone, one that failed on a row of this batch too (it may now pass). If the
            // commit itself failed it may still have happened, and running the writes again could store them twice:
            // each hears why, as a write alone would.
            if (mayRetry && !committing) return batch;
            foreach (var work in batch) work.Done.TrySetException(e);
            return [];
        }
        span?.SetTag("mgauth.writer.failed", failed.Count);
        if (again.Count > 0) span?.SetTag("mgauth.writer.retried", again.Count);
        _telemetry?.Committed(written.Count + failed.Count);
        foreach (var work in written) work.Done.TrySetResult();
        foreach (var (work, error) in failed) work.Done.TrySetException(error);
        return again;
    }

    private sealed record Work(Func<DbConnection, DbTransaction, Task> Write, TaskCompletionSource Done);
}
