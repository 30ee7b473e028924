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

    /// <summary>The database could not take the request (locked, down, out of space, a deadlock): nothing was stored, try again.</summary>
    public static bool IsUnavailable(Exception error) => error is DbException;
}
