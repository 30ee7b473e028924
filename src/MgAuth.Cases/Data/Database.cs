using System.Data.Common;
using Dapper;
using MgAuth.Cases.Telemetry;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace MgAuth.Cases.Data;

/// <summary>
/// The database the stores share: an embedded SQLite file (the default) or PostgreSQL. Opens connections, runs the
/// migrations of its provider, and gives the stores their writer. The stores' SQL is written once for both.
/// </summary>
public sealed class Database
{
    private readonly string _connectionString;
    private readonly TimeProvider _clock;
    private readonly NpgsqlDataSource? _postgres;

    static Database()
    {
        StoredTimes.Register();
        Releases.ActivationKinds.Register();
    }

    /// <summary>A SQLite database (<c>Data Source=PATH</c>).</summary>
    public Database(string connectionString, TimeProvider clock)
        : this(StorageProvider.Sqlite, connectionString, clock)
    {
    }

    /// <param name="telemetry">Where the writer reports each transaction's size (the service's; none for the CLI).</param>
    public Database(StorageProvider provider, string connectionString, TimeProvider clock, MgAuthTelemetry? telemetry = null)
    {
        Provider = provider;
        _clock = clock;
        if (provider == StorageProvider.Postgres)
        {
            var server = new NpgsqlConnectionStringBuilder(connectionString);
            // A write waiting on another's row lock fails after 5 s (and the request answers 503) rather than hanging,
            // as SQLite's busy timeout does; a connection string that sets Options keeps its own.
            if (string.IsNullOrEmpty(server.Options)) server.Options = "-c lock_timeout=5000";
            _connectionString = server.ConnectionString;
            _postgres = NpgsqlDataSource.Create(_connectionString);
            DataSource = $"{server.Host}:{server.Port}/{server.Database}";
            Writer = new GroupCommitWriter(async cancellationToken => await OpenAsync(cancellationToken),
                async connection => await connection.BeginTransactionAsync(), PostgresWriterTransactions, DatabaseErrors.IsConflict, telemetry);
            return;
        }
        var builder = new SqliteConnectionStringBuilder(connectionString)
        {
            ForeignKeys = true,
            Pooling = true,
        };
        if (builder.DataSource is { Length: > 0 } path && path != ":memory:" && Path.GetDirectoryName(Path.GetFullPath(path)) is { } folder)
            Directory.CreateDirectory(folder);
        _connectionString = builder.ToString();
        DataSource = builder.DataSource;
        // BEGIN IMMEDIATE: the write lock at once, so a batch never fails half-way on another process's lock.
        Writer = new GroupCommitWriter(async cancellationToken => await OpenSqliteAsync(cancellationToken),
            connection => Task.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: false)), telemetry: telemetry);
    }

    /// <summary>Batches a PostgreSQL writer may have open at once (README, PostgreSQL and several replicas).</summary>
    public const int PostgresWriterTransactions = 4;

    public StorageProvider Provider { get; }

    /// <summary>Every write of the service goes through this writer (group commit, on both stores).</summary>
    public IDatabaseWriter Writer { get; }

    public string DataSource { get; }

    /// <summary>
    /// False (the default): every commit waits for the disk (synchronous=FULL), so an acknowledged decision survives a
    /// power loss too. True trusts WAL (NORMAL): a crash of the process loses nothing committed, a power loss may lose
    /// the last commits. Writes are group-committed by one writer, so FULL costs little (README, Performance).
    /// SQLite only: PostgreSQL's durability is the server's (synchronous_commit).
    /// </summary>
    public bool RelaxedDurability { get; init; }

    /// <summary>How long a write waits for another writer's lock before it fails (and the request answers 503). SQLite only.</summary>
    public int BusyTimeoutMs { get; init; } = 5000;

    private string Pragmas => $"PRAGMA synchronous={(RelaxedDurability ? "NORMAL" : "FULL")}; PRAGMA busy_timeout={BusyTimeoutMs};";

    // Microsoft.Data.Sqlite retries a busy statement itself until the command timeout (30 s by default),
    // whatever busy_timeout says: bound that too, in whole seconds, so a locked database fails in time.
    private int CommandTimeoutSeconds => Math.Max(1, (BusyTimeoutMs + 999) / 1000);

    public DbConnection Open()
    {
        if (_postgres is not null) return _postgres.OpenConnection();
        var connection = new SqliteConnection(_connectionString) { DefaultTimeout = CommandTimeoutSeconds };
        connection.Open();
        connection.Execute(Pragmas);
        return connection;
    }

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default) =>
        _postgres is not null ? await _postgres.OpenConnectionAsync(cancellationToken) : await OpenSqliteAsync(cancellationToken);

    private async Task<SqliteConnection> OpenSqliteAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString) { DefaultTimeout = CommandTimeoutSeconds };
        await connection.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(Pragmas);
        return connection;
    }

    /// <summary>Creates or upgrades the schema; safe to run at every start, and by several replicas at once.</summary>
    public void Migrate()
    {
        using var connection = Open();
        if (Provider == StorageProvider.Sqlite) connection.Execute("PRAGMA journal_mode=WAL;");
        // Replicas starting together take turns: the lock is held until this connection closes.
        else connection.Execute("SELECT pg_advisory_lock(7261)");
        connection.Execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL PRIMARY KEY, applied_at TEXT NOT NULL)");
        var applied = connection.Query<int>("SELECT version FROM schema_version").ToHashSet();
        foreach (var (version, sql) in Migrations.For(Provider))
        {
            if (applied.Contains(version)) continue;
            using var transaction = connection.BeginTransaction();
            connection.Execute(sql, transaction: transaction);
            connection.Execute("INSERT INTO schema_version (version, applied_at) VALUES (@version, @at)",
                new { version, at = _clock.GetUtcNow() }, transaction);
            transaction.Commit();
        }
    }
}
