using System.Data.Common;
using Dapper;
using MgAuth.Api.Tests.Support;
using MgAuth.Cases.Data;
using MgAuth.Domain.Decisions;
using MgAuth.Domain.Requests;

namespace MgAuth.Api.Tests;

/// <summary>
/// The writer every write goes through, on the store of the pass (SQLite, or PostgreSQL with MGAUTH_TEST_STORAGE=postgres):
/// what has queued commits in one transaction, a write that fails fails alone, and on PostgreSQL two replicas' batches
/// that conflict (a deadlock on each other's idempotency keys, a lost connection) fail none of their requests.
/// </summary>
public sealed class GroupCommitWriterTests : IDisposable
{
    private const string Organization = "writer-clinic";
    private readonly string _connectionString;
    private readonly string? _folder;

    public GroupCommitWriterTests()
    {
        if (TestStorage.IsPostgres) _connectionString = TestStorage.CreatePostgresDatabase(migrated: true);
        else
        {
            _folder = Directory.CreateTempSubdirectory("mgauth-writer-").FullName;
            _connectionString = $"Data Source={Path.Combine(_folder, "mgauth.db")}";
        }
        var database = Replica();
        database.Migrate();
        using var connection = database.Open();
        connection.Execute("CREATE TABLE writer_rows (id INTEGER NOT NULL PRIMARY KEY, note TEXT NOT NULL)");
        connection.Execute("INSERT INTO organizations (id, name, created_at) VALUES (@Organization, @Organization, @at)",
            new { Organization, at = DateTimeOffset.UtcNow });
    }

    /// <summary>A process on the test's database: its own connections and its own writer.</summary>
    private Database Replica() => new(TestStorage.Provider, _connectionString, TimeProvider.System);

    public void Dispose()
    {
        _parked.TrySetResult();
        if (TestStorage.IsPostgres) TestStorage.DropPostgresDatabase(_connectionString);
        else
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(_folder!, recursive: true);
        }
    }

    [Fact]
    public async Task A_batch_with_one_failing_write_commits_the_others_and_fails_only_that_one()
    {
        var database = Replica();
        var transactions = new List<DbTransaction>();
        Func<DbConnection, DbTransaction, Task> Insert(int id) => async (connection, transaction) =>
        {
            lock (transactions) transactions.Add(transaction);
            await connection.ExecuteAsync("INSERT INTO writer_rows (id, note) VALUES (@id, 'written')", new { id }, transaction);
        };
        IReadOnlyList<int>? seenByTheLoser = null;

        var release = await HoldAsync(database.Writer);
        var first = database.Writer.WriteAsync(Insert(1));
        var second = database.Writer.WriteAsync(Insert(2));
        // Row 2 again, in the same transaction: this write's own error, as a duplicate idempotency key is.
        var duplicate = Task.Run(async () =>
        {
            try
            {
                await database.Writer.WriteAsync(Insert(2));
            }
            catch (DbException e) when (DatabaseErrors.IsUniqueViolation(e, "writer_rows"))
            {
                // The caller hears of it after the rest committed: what it reads now (the winner) is there.
                seenByTheLoser = Rows(database);
                throw;
            }
        });
        await WhenQueued(database, 3);
        var fourth = database.Writer.WriteAsync(Insert(4));
        release.SetResult();

        await Task.WhenAll(first, second, fourth);
        var error = await Assert.ThrowsAnyAsync<DbException>(() => duplicate);
        Assert.True(DatabaseErrors.IsUniqueViolation(error, "writer_rows"), error.Message);
        Assert.Equal(new[] { 1, 2, 4 }, seenByTheLoser);
        Assert.Equal(new[] { 1, 2, 4 }, Rows(database));
        // One transaction carried all four (the holding write's batch was its own).
        Assert.Equal(4, transactions.Count);
        Assert.All(transactions, t => Assert.Same(transactions[0], t));
    }

    [PostgresOnlyFact]
    public async Task Two_replicas_whose_batches_deadlock_on_each_others_idempotency_keys_answer_every_request_and_store_one_case_per_key()
    {
        var (a, b) = (Replica(), Replica());
        var keys = Enumerable.Range(1, 30).Select(i => $"race-{i:00}").ToArray();
        var (aHolds, bHolds) = (Signal(), Signal());
        var releaseA = await HoldAsync(a.Writer);
        var releaseB = await HoldAsync(b.Writer);
        // Replica A takes key 1 and B key 2, each waits until the other has; then A asks for key 2 and B for key 1 within the
        // same open transactions: a deadlock PostgreSQL resolves by failing one of the two inserts (40P01). The remaining keys
        // go in opposite orders, so the batches meet on those too.
        var onA = new List<(string Key, Task<bool> Stored)> { (keys[0], Insert(a, keys[0])) };
        var onB = new List<(string Key, Task<bool> Stored)> { (keys[1], Insert(b, keys[1])) };
        var meetA = a.Writer.WriteAsync(async (_, _) => { aHolds.SetResult(); await bHolds.Task.WaitAsync(TimeSpan.FromSeconds(30)); });
        var meetB = b.Writer.WriteAsync(async (_, _) => { bHolds.SetResult(); await aHolds.Task.WaitAsync(TimeSpan.FromSeconds(30)); });
        onA.Add((keys[1], Insert(a, keys[1])));
        onB.Add((keys[0], Insert(b, keys[0])));
        onA.AddRange(keys[2..].Select(k => (k, Insert(a, k))));
        onB.AddRange(keys[2..].Reverse().Select(k => (k, Insert(b, k))));
        await WhenQueued(a, onA.Count + 1);
        await WhenQueued(b, onB.Count + 1);
        releaseA.SetResult();
        releaseB.SetResult();

        // No request failed: each insert answers stored (true) or lost its key to the other replica (false).
        await Task.WhenAll(meetA, meetB);
        var answers = (await Task.WhenAll(onA.Concat(onB).Select(async s => (s.Key, Stored: await s.Stored)))).ToArray();
        Assert.All(keys, key => Assert.Single(answers, s => s.Key == key && s.Stored));
        using var connection = a.Open();
        Assert.Equal(keys, connection.Query<string>(
            "SELECT idempotency_key FROM authorizations WHERE organization_id = @Organization ORDER BY idempotency_key", new { Organization }));
        Assert.Equal(keys.Length, connection.ExecuteScalar<long>("SELECT COUNT(*) FROM revisions"));
        Assert.Equal(2 * keys.Length, connection.ExecuteScalar<long>("SELECT COUNT(*) FROM events"));
        // The deadlock did happen: the losing insert was run again alone (and then found its key taken).
        Assert.True(((GroupCommitWriter)a.Writer).Retried + ((GroupCommitWriter)b.Writer).Retried >= 1);
    }

    [PostgresOnlyFact]
    public async Task Two_replicas_racing_the_same_keys_in_shuffled_batches_store_one_case_per_key_and_fail_no_request()
    {
        var replicas = new[] { Replica(), Replica() };
        // Few keys: every pair the two orders put the other way round may deadlock, and each deadlock costs a second to detect.
        var keys = Enumerable.Range(1, 12).Select(i => $"shuffled-{i:00}").ToArray();
        for (var round = 0; round < 3; round++)
        {
            var roundKeys = keys.Select(k => $"{k}-{round}").ToArray();
            var releases = new List<TaskCompletionSource>();
            var inserts = new List<(string Key, Task<bool> Stored)>();
            foreach (var replica in replicas)
            {
                releases.Add(await HoldAsync(replica.Writer));
                inserts.AddRange(roundKeys.OrderBy(_ => Random.Shared.Next()).Select(k => (k, Insert(replica, k))));
                await WhenQueued(replica, roundKeys.Length);
            }
            releases.ForEach(r => r.SetResult());

            var answers = (await Task.WhenAll(inserts.Select(async s => (s.Key, Stored: await s.Stored)))).ToArray();
            Assert.All(roundKeys, key => Assert.Single(answers, s => s.Key == key && s.Stored));
        }
        using var connection = replicas[0].Open();
        Assert.Equal(3 * keys.Length, connection.ExecuteScalar<long>("SELECT COUNT(*) FROM authorizations"));
        Assert.Equal(3 * keys.Length, connection.ExecuteScalar<long>("SELECT COUNT(*) FROM revisions"));
    }

    [PostgresOnlyFact]
    public async Task A_connection_lost_in_the_middle_of_a_batch_fails_none_of_its_writes()
    {
        var database = Replica();
        var runs = 0;
        var release = await HoldAsync(database.Writer);
        var writes = new[]
        {
            database.Writer.WriteAsync((connection, transaction) =>
                connection.ExecuteAsync("INSERT INTO writer_rows (id, note) VALUES (1, 'before')", transaction: transaction)),
            database.Writer.WriteAsync(async (connection, transaction) =>
            {
                // The server ends this connection the first time (as a failover or a restart would).
                if (Interlocked.Increment(ref runs) == 1)
                    await connection.ExecuteAsync("SELECT pg_terminate_backend(pg_backend_pid())", transaction: transaction);
                await connection.ExecuteAsync("INSERT INTO writer_rows (id, note) VALUES (2, 'lost, then written')", transaction: transaction);
            }),
            database.Writer.WriteAsync((connection, transaction) =>
                connection.ExecuteAsync("INSERT INTO writer_rows (id, note) VALUES (3, 'after')", transaction: transaction)),
        };
        await WhenQueued(database, writes.Length);
        release.SetResult();

        await Task.WhenAll(writes);
        Assert.Equal(new[] { 1, 2, 3 }, Rows(database));
        Assert.Equal(2, runs);
        Assert.Equal(writes.Length, ((GroupCommitWriter)database.Writer).Retried);
    }

    private static Task<bool> Insert(Database database, string key)
    {
        var id = "PA-" + Guid.NewGuid().ToString("N");
        var at = DateTimeOffset.UtcNow;
        return new AuthorizationStore(database).InsertAsync(new NewAuthorization(
            new AuthorizationRow
            {
                Id = id, OrganizationId = Organization, MemberId = "M-writer", Urgency = Urgency.Standard, Status = CaseStatus.Pended,
                Decision = Outcome.Review, Revision = 1, Version = 1, ReceivedAt = at, DueBy = at.AddDays(7), IdempotencyKey = key,
                RequestSha256 = key,
            },
            new RevisionRecord
            {
                Revision = 1, RequestJson = "{}", DecisionJson = "{}", HistoryJson = "[]", PackSha256 = "pack", PackVersion = "1",
                PolicyId = "policy", PolicyVersion = "1", PolicySha256 = "policy", AsOf = DateOnly.FromDateTime(at.UtcDateTime),
                EngineVersion = "test", DecidedAt = at,
            },
            new Actor("key_writer", "provider")));
    }

    /// <summary>
    /// Holds every loop of the writer in a write of its own, one at a time: all but one until the test ends, the last until
    /// released, so that what is queued meanwhile commits as one batch, in the order queued.
    /// </summary>
    private async Task<TaskCompletionSource> HoldAsync(IDatabaseWriter writer)
    {
        if (_parkedWriters.Add(writer))
            for (var i = 1; i < ((GroupCommitWriter)writer).Transactions; i++) await HoldOneAsync(writer, _parked);
        return await HoldOneAsync(writer, Signal());
    }

    private static async Task<TaskCompletionSource> HoldOneAsync(IDatabaseWriter writer, TaskCompletionSource release)
    {
        var holding = Signal();
        _ = writer.WriteAsync(async (_, _) =>
        {
            holding.SetResult();
            await release.Task;
        });
        await holding.Task.WaitAsync(TimeSpan.FromSeconds(30));
        return release;
    }

    private readonly TaskCompletionSource _parked = Signal();
    private readonly HashSet<IDatabaseWriter> _parkedWriters = [];

    private static TaskCompletionSource Signal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Waits until <paramref name="count"/> writes queue behind the held one (a write started on another thread gets there when it gets there).</summary>
    private static async Task WhenQueued(Database database, int count)
    {
        var writer = (GroupCommitWriter)database.Writer;
        for (var i = 0; i < 300 && writer.Queued < count; i++) await Task.Delay(10);
        Assert.Equal(count, writer.Queued);
    }

    private static int[] Rows(Database database)
    {
        using var connection = database.Open();
        return connection.Query<int>("SELECT id FROM writer_rows ORDER BY id").ToArray();
    }
}
