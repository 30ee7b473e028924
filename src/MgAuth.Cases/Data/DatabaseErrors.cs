using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace MgAuth.Cases.Data;

/// <summary>What a database error means for a store, the same on SQLite and PostgreSQL.</summary>
public static class DatabaseErrors
{
    /// <summary>A unique constraint on <paramref name="column"/> refused the row (SQLite: constraint failed; PostgreSQL: 23505).</summary>
    public static bool IsUniqueViolation(Exception error, string column) => error switch
    {
        SqliteException e => e.SqliteErrorCode == 19 && e.Message.Contains(column, StringComparison.Ordinal),
        PostgresException e => e.SqlState == PostgresErrorCodes.UniqueViolation && (e.ConstraintName ?? "").Contains(column, StringComparison.Ordinal),
        _ => false,
    };

    /// <summary>
    /// Another transaction or the connection made a write fail, not the write itself: a deadlock (40P01) or serialization
    /// failure (40001) with another replica's transaction, a row it held past the lock timeout (55P03: a batch waits for
    /// the whole of the batch holding the row, which may itself be waiting out a deadlock), or a connection lost or timed
    /// out (PostgreSQL). Run again alone, the write may pass.
    /// </summary>
    public static bool IsConflict(Exception error) => error switch
    {
        PostgresException e => e.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure
            or PostgresErrorCodes.LockNotAvailable,
        NpgsqlException => true,
        _ => false,
    };

    /// <summary>The database could not take the request (locked, down, out of space, a deadlock): nothing was stored, try again.</summary>
    public static bool IsUnavailable(Exception error) => error is DbException;
}
