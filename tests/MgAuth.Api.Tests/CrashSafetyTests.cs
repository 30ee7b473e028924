using MgAuth.Api.Tests.Support;
using MgAuth.Cases.Data;
using MgAuth.Cases.Releases;
using MgAuth.Cases.Replay;
using MgAuth.Cases.Security;
using MgAuth.Crash;
using Microsoft.Data.Sqlite;

namespace MgAuth.Api.Tests;

/// <summary>
/// The service killed (SIGKILL) while requests are in flight, then restarted on the same database: every acknowledged
/// decision is there as answered, with its audit entries; nothing is partial; every stored decision replays. At scale:
/// tests/crash/run.sh. A SIGKILL is a crash of the process, not a power loss. It runs alone: a service process starved of
/// the two cores by other tests' worker processes once held SQLite's write lock past the 5 s busy timeout (one 503).
/// </summary>
[Collection(nameof(CrashSafetyTests))]
public sealed class CrashSafetyTests(Xunit.Abstractions.ITestOutputHelper output) : IDisposable
{
    private const int Requests = 200;
    private const int Concurrency = 16;
    private readonly string _folder = Directory.CreateTempSubdirectory("mgauth-crash-test").FullName;

    [Fact]
    public async Task Acknowledged_decisions_survive_a_sigkill_under_load_whole_and_replayable()
    {
        var databasePath = Path.Combine(_folder, "mgauth.db");
        var database = new Database($"Data Source={databasePath}", TimeProvider.System);
        database.Migrate();
        var key = new ApiKeys(database, TimeProvider.System).Create("crash-clinic", Roles.Provider, "crash test portal");

        LoadReport load;
        await using (var service = await ServiceProcess.StartAsync(databasePath))
        {
            var client = new LoadClient(service.BaseUrl, key.Secret, LoadClient.LoadExamples(Repository.ExamplesFolder), "M-CT");
            load = await client.RunAsync(Requests, Concurrency, killAfter: Requests / 2, kill: service.Kill);
            output.WriteLine($"load: {load}");
            Assert.Equal(137, await service.ExitCodeAsync()); // 128 + SIGKILL
        }
        Assert.True(load.Killed && load.Acknowledged.Count >= Requests / 2, load.ToString());
        Assert.True(load.InFlightAtKill > 0, $"nothing was in flight at the kill: {load}");
        Assert.Empty(load.Refused);

        await using var restarted = await ServiceProcess.StartAsync(databasePath);
        var store = StoreCheck.Run(databasePath, load.Acknowledged);
        output.WriteLine($"check: {store}");
        Assert.True(store.Holds, store.ToString());
        Assert.Equal(load.Acknowledged.Count, store.AcknowledgedStored);

        var replay = await new Replayer(new AuthorizationStore(database),
            new RuleVersionStore(database), new MgAuth.RulePacks.CompiledPacks(), () => null,
            new ApprovedReleases(database), Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance).ReplayAsync();
        output.WriteLine($"replay: {replay.Replayed} replayed, {replay.Identical} identical, {replay.Differences.Count} different");
        Assert.Empty(replay.Differences);
        Assert.Equal(store.Authorizations, replay.Replayed);

        // The restarted service answers with an acknowledged decision as it was stored.
        using var http = new HttpClient { BaseAddress = restarted.BaseUrl };
        http.DefaultRequestHeaders.Authorization = new("Bearer", key.Secret);
        var last = load.Acknowledged[^1].AuthorizationId;
        var decision = await http.GetOkAsync($"/v1/authorizations/{last}");
        Assert.Equal(last, (string)decision["authorizationId"]!);
    }

    [Fact]
    public void The_check_finds_a_lost_acknowledgement_a_partial_authorization_and_an_orphan_event()
    {
        var databasePath = Path.Combine(_folder, "broken.db");
        new Database($"Data Source={databasePath}", TimeProvider.System).Migrate();
        using (var connection = new SqliteConnection($"Data Source={databasePath};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            // A store broken behind SQLite's back: foreign keys off, rows a crash mid-write could have left.
            command.CommandText = """
                PRAGMA foreign_keys = OFF;
                INSERT INTO organizations (id, name, created_at) VALUES ('org', 'org', '2026-12-01');
                INSERT INTO authorizations (id, organization_id, member_id, indication, urgency, status, decision, revision, version,
                    received_at, due_by, request_sha256)
                VALUES ('PA-PARTIAL', 'org', 'M-1', 'exacerbation', 'standard', 'approved', 'approve', 1, 1, '2026-12-01', '2026-12-08', 'x');
                INSERT INTO events (authorization_id, at, actor, actor_role, kind) VALUES ('PA-GONE', '2026-12-01', 'a', 'provider', 'submitted');
                """;
            command.ExecuteNonQuery();
        }

        var store = StoreCheck.Run(databasePath, [new Acknowledgement("PA-LOST", new string('0', 64))]);

        Assert.False(store.Holds);
        Assert.Equal(0, store.AcknowledgedStored);
        string[] expected =
        [
            "authorization without its current revision: PA-PARTIAL", "authorization without its 'decided' audit entry: PA-PARTIAL",
            "event without its authorization: PA-GONE", "acknowledged PA-LOST: not stored",
        ];
        Assert.All(expected, e => Assert.Contains(store.Problems, p => p.StartsWith(e, StringComparison.Ordinal)));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_folder, recursive: true); }
        catch (IOException) { }
    }
}

[CollectionDefinition(nameof(CrashSafetyTests), DisableParallelization = true)]
public sealed class CrashSafetyCollection;

