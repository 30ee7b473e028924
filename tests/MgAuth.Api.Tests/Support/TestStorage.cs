using MgAuth.Cases.Data;
using Npgsql;

namespace MgAuth.Api.Tests.Support;

/// <summary>
/// Which store the suite runs on: MGAUTH_TEST_STORAGE=postgres puts every factory on a fresh database of its own in the
/// cluster MGAUTH_TEST_POSTGRES names (tests/postgres/cluster.sh); anything else, or nothing, is SQLite.
/// </summary>
public static class TestStorage
{
    public static StorageProvider Provider { get; } =
        StorageProviders.Parse(Environment.GetEnvironmentVariable("MGAUTH_TEST_STORAGE"));

    public static bool IsPostgres => Provider == StorageProvider.Postgres;

    // Fails loudly rather than fall back to SQLite: a PostgreSQL run that ran nothing on PostgreSQL would pass silently.
    private static string Server => Environment.GetEnvironmentVariable("MGAUTH_TEST_POSTGRES") is { Length: > 0 } server ? server
        : throw new InvalidOperationException("MGAUTH_TEST_STORAGE=postgres needs MGAUTH_TEST_POSTGRES: eval \"$(tests/postgres/cluster.sh start)\"");

    /// <summary>A new, empty database in the cluster; its connection string.</summary>
    public static string CreatePostgresDatabase()
    {
        var name = "mgauth_" + Guid.NewGuid().ToString("N");
        using (var connection = new NpgsqlConnection(Server))
        {
            connection.Open();
            using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            command.ExecuteNonQuery();
        }
        return new NpgsqlConnectionStringBuilder(Server) { Database = name }.ToString();
    }

    public static void DropPostgresDatabase(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        NpgsqlConnection.ClearAllPools();
        using var connection = new NpgsqlConnection(Server);
        connection.Open();
        using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
        command.ExecuteNonQuery();
    }
}

/// <summary>A test about SQLite itself (its file, its lock, its pragmas, the CLI's --db): skipped, with this reason, on PostgreSQL.</summary>
public sealed class SqliteOnlyFactAttribute : FactAttribute
{
    public SqliteOnlyFactAttribute()
    {
        if (TestStorage.IsPostgres) Skip = "about the SQLite file (MGAUTH_TEST_STORAGE=postgres)";
    }
}

/// <summary>A test of several replicas on one PostgreSQL: skipped, with this reason, in the SQLite pass.</summary>
public sealed class PostgresOnlyFactAttribute : FactAttribute
{
    public PostgresOnlyFactAttribute()
    {
        if (!TestStorage.IsPostgres) Skip = "needs PostgreSQL: runs in the MGAUTH_TEST_STORAGE=postgres pass";
    }
}
