using System.Data.Common;

namespace MgAuth.Cases.Data;

/// <summary>
/// How a store changes the database: each write runs in a transaction and its task completes after the commit. On both
/// stores one <see cref="GroupCommitWriter"/> per process commits whatever has queued in one transaction, each write in
/// its own savepoint; on PostgreSQL concurrent replicas are kept apart by the same unique constraints and row locks.
/// A write may run more than once (on PostgreSQL, again alone when its batch conflicted with another replica's): it sets
/// whatever it reports on every run, and calls no writer itself.
/// </summary>
public interface IDatabaseWriter
{
    Task WriteAsync(Func<DbConnection, DbTransaction, Task> write, CancellationToken cancellationToken = default);
}
