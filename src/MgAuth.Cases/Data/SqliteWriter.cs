using System.Data.Common;
using System.Diagnostics;
using System.Threading.Channels;
using MgAuth.Cases.Telemetry;
using Microsoft.Data.Sqlite;

namespace MgAuth.Cases.Data;

/// <summary>
/// SQLite has one writer, and a commit costs far more than the rows in it, so writes queue here
/// and a single loop commits whatever has queued up in one transaction (group commit). Each write
/// runs inside its own savepoint: one that fails is rolled back alone and its caller gets the
/// error; the rest commit together. A write's task completes only after its commit.
/// </summary>
public sealed class SqliteWriter : IDatabaseWriter
{
    private const int MaxBatch = 128;
    private readonly Func<CancellationToken, Task<SqliteConnection>> _open;
    private readonly MgAuthTelemetry? _telemetry;
    private readonly Channel<Work> _queue = Channel.CreateUnbounded<Work>(new UnboundedChannelOptions { SingleReader = true });

    public SqliteWriter(Func<CancellationToken, Task<SqliteConnection>> open, MgAuthTelemetry? telemetry = null)
    {
        _open = open;
        _telemetry = telemetry;
        // The loop outlives whoever built the writer (often a request): it takes none of that caller's context, its span included.
        using (ExecutionContext.SuppressFlow()) _ = Task.Run(LoopAsync);
    }

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
            await CommitAsync(batch);
        }
    }

    private async Task CommitAsync(List<Work> batch)
    {
        var written = new List<Work>(batch.Count);
        var failed = new List<(Work Work, Exception Error)>();
        // One span per commit, a root: its writes come from many requests.
        using var span = MgAuthTelemetry.Source.StartActivity("mgauth.writer.commit");
        span?.SetTag("mgauth.writer.batch_size", batch.Count);
        try
        {
            await using var connection = await _open(CancellationToken.None);
            await using var transaction = connection.BeginTransaction(deferred: false);
            foreach (var work in batch)
            {
                transaction.Save("write");
                try
                {
                    await work.Write(connection, transaction);
                    transaction.Release("write");
                    written.Add(work);
                }
                catch (Exception e)
                {
                    transaction.Rollback("write");
                    transaction.Release("write");
                    // Reported after the commit: a caller that reacts by reading (a duplicate idempotency key
                    // looks up the winner) must see what the rest of the batch wrote.
                    failed.Add((work, e));
                }
            }
            await transaction.CommitAsync();
        }
        catch (Exception e)
        {
            span?.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
            // Nothing of this batch was committed: every write still waiting hears why.
            foreach (var work in batch) work.Done.TrySetException(e);
            return;
        }
        span?.SetTag("mgauth.writer.failed", failed.Count);
        _telemetry?.Committed(batch.Count);
        foreach (var work in written) work.Done.TrySetResult();
        foreach (var (work, error) in failed) work.Done.TrySetException(error);
    }

    private sealed record Work(Func<DbConnection, DbTransaction, Task> Write, TaskCompletionSource Done);
}
