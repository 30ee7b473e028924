using System.Data.Common;
using MgAuth.Cases.Telemetry;

namespace MgAuth.Cases.Data;

/// <summary>
/// How a store changes the database: each write runs in a transaction and its task completes after the commit.
/// SQLite queues writes for its one writer (<see cref="SqliteWriter"/>); PostgreSQL runs each in its own
/// transaction (<see cref="TransactionWriter"/>), concurrent replicas kept apart by the same unique constraints.
/// </summary>
public interface IDatabaseWriter
{
    Task WriteAsync(Func<DbConnection, DbTransaction, Task> write, CancellationToken cancellationToken = default);
}

/// <summary>One transaction per write: what a server database with row locks needs (PostgreSQL).</summary>
public sealed class TransactionWriter(Func<CancellationToken, Task<DbConnection>> open, MgAuthTelemetry? telemetry = null) : IDatabaseWriter
{
    public async Task WriteAsync(Func<DbConnection, DbTransaction, Task> write, CancellationToken cancellationToken = default)
    {
        await using var connection = await open(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await write(connection, transaction);
        await transaction.CommitAsync(cancellationToken);
        telemetry?.Committed(1);
    }
}
