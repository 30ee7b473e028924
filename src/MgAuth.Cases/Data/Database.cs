using Dapper;
using Microsoft.Data.Sqlite;

namespace MgAuth.Cases.Data;

/// <summary>The embedded SQLite database: connections, pragmas and migrations.</summary>
public sealed class Database
{
    private readonly string _connectionString;
    private readonly TimeProvider _clock;

    public Database(string connectionString, TimeProvider clock)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString)
        {
            ForeignKeys = true,
            Pooling = true,
        };
        if (builder.DataSource is { Length: > 0 } path && path != ":memory:" && Path.GetDirectoryName(Path.GetFullPath(path)) is { } folder)
            Directory.CreateDirectory(folder);
        _connectionString = builder.ToString();
        _clock = clock;
        DataSource = builder.DataSource;
        Writer = new SqliteWriter(OpenAsync);
    }

    /// <summary>Every write of the service goes through this one writer (group commit).</summary>
    public SqliteWriter Writer { get; }

    public string DataSource { get; }

    /// <summary>
    /// False (the default): every commit waits for the disk (synchronous=FULL), so an acknowledged decision survives a
    /// power loss too. True trusts WAL (NORMAL): a crash of the process loses nothing committed, a power loss may lose
    /// the last commits. Writes are group-committed by one writer, so FULL costs little (README, Performance).
    /// </summary>
    public bool RelaxedDurability { get; init; }

    /// <summary>How long a write waits for another writer's lock before it fails (and the request answers 503).</summary>
    public int BusyTimeoutMs { get; init; } = 5000;

    private string Pragmas => $"PRAGMA synchronous={(RelaxedDurability ? "NORMAL" : "FULL")}; PRAGMA busy_timeout={BusyTimeoutMs};";

    // Microsoft.Data.Sqlite retries a busy statement itself until the command timeout (30 s by default),
    // whatever busy_timeout says: bound that too, in whole seconds, so a locked database fails in time.
    private int CommandTimeoutSeconds => Math.Max(1, (BusyTimeoutMs + 999) / 1000);

    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString) { DefaultTimeout = CommandTimeoutSeconds };
        connection.Open();
        connection.Execute(Pragmas);
        return connection;
    }

    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        var connection = new SqliteConnection(_connectionString) { DefaultTimeout = CommandTimeoutSeconds };
        await connection.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(Pragmas);
        return connection;
    }

    /// <summary>Creates or upgrades the schema; safe to run at every start.</summary>
    public void Migrate()
    {
        using var connection = Open();
        connection.Execute("PRAGMA journal_mode=WAL;");
        connection.Execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL PRIMARY KEY, applied_at TEXT NOT NULL)");
        var applied = connection.Query<int>("SELECT version FROM schema_version").ToHashSet();
        foreach (var (version, sql) in Migrations.All)
        {
            if (applied.Contains(version)) continue;
            using var transaction = connection.BeginTransaction();
            connection.Execute(sql, transaction: transaction);
            connection.Execute("INSERT INTO schema_version (version, applied_at) VALUES (@version, @at)",
                new { version, at = _clock.GetUtcNow().ToString("O") }, transaction);
            transaction.Commit();
        }
    }
}
