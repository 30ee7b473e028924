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

    /// <summary>
    /// A new database in the cluster; its connection string. Empty, or with <paramref name="migrated"/> a copy of a
    /// template migrated once a test process (<c>CREATE DATABASE … TEMPLATE</c>): the schema every service would
    /// otherwise build step by step at its start (a service's start still runs its migrations, finding them applied). Tests
    /// of migrating itself (replicas migrating one database together) take an empty one.
    /// </summary>
    public static string CreatePostgresDatabase(bool migrated = false)
    {
        var name = "mgauth_" + Guid.NewGuid().ToString("N");
        Execute(migrated ? $"CREATE DATABASE {name} TEMPLATE {MigratedTemplate.Value}" : $"CREATE DATABASE {name}");
        return new NpgsqlConnectionStringBuilder(Server) { Database = name }.ToString();
    }

    private static readonly Lazy<string> MigratedTemplate = new(CreateMigratedTemplate);

    private static string CreateMigratedTemplate()
    {
        var name = "mgauth_template_" + Guid.NewGuid().ToString("N");
        Execute($"CREATE DATABASE {name}");
        new Database(StorageProvider.Postgres, new NpgsqlConnectionStringBuilder(Server) { Database = name }.ToString(), TimeProvider.System)
            .Migrate();
        // A template is copied only while nobody is connected to it: the migration's pooled connections are ended.
        Execute($"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}' AND pid <> pg_backend_pid()");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Execute($"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
        return name;
    }

    private static void Execute(string sql)
    {
        using var connection = new NpgsqlConnection(Server);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    public static void DropPostgresDatabase(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        NpgsqlConnection.ClearAllPools();
        Execute($"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
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
