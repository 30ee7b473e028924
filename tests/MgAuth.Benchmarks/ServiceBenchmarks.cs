using System.Diagnostics;
using System.Diagnostics.Metrics;
using BenchmarkDotNet.Attributes;
using MgAuth.Cases;
using MgAuth.Cases.Authorizations;
using MgAuth.Cases.Data;
using MgAuth.Cases.Releases;
using MgAuth.Cases.Security;
using MgAuth.Cases.Telemetry;
using MgAuth.Domain.Decisions;
using MgAuth.Domain.Requests;
using MgAuth.RulePacks;
using MgAuth.Testing;

namespace MgAuth.Benchmarks;

/// <summary>
/// The steps of a request that meet the store and the telemetry, on a fresh SQLite database (WAL, synchronous=NORMAL,
/// as <c>tests/load/run.sh</c>'s stored scenario) with the real pack in force: the member-history query (a member with
/// no cases, as the examples' members), the evaluations audit row through the database writer, the telemetry around
/// one decision, and the two use cases whole — <see cref="AuthorizationService.EvaluateAsync"/> (less the audit row,
/// which the endpoint adds) and a stored <see cref="AuthorizationService.SubmitAsync"/> (every call a new case).
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class ServiceBenchmarks
{
    private string _folder = "";
    private Database _database = null!;
    private AuthorizationStore _store = null!;
    private AuthorizationService _service = null!;
    private EvaluationLog _log = null!;
    private MgAuthTelemetry _telemetry = null!;
    private BenchMeters _meters = null!;
    private ActivityListener? _listener;
    private Caller _caller = null!;
    private byte[] _bytes = [];
    private string _memberId = "";
    private Decision _decision = null!;
    private EvaluationRecord _record = null!;

    [ParamsSource(nameof(Examples))]
    public string Example { get; set; } = "";

    /// <summary>Whether something listens to the service's spans (an exporter configured), as TelemetryTests attach one.</summary>
    [Params(false, true)]
    public bool Traced { get; set; }

    public static IEnumerable<string> Examples() => ExampleRequests.Chosen();

    [GlobalSetup]
    public void Setup()
    {
        _folder = Directory.CreateTempSubdirectory("mgauth-bench-").FullName;
        _database = new Database(StorageProvider.Sqlite, $"Data Source={Path.Combine(_folder, "mgauth.db")}", TimeProvider.System)
        {
            RelaxedDurability = true,
        };
        _database.Migrate();
        _store = new AuthorizationStore(_database);
        _log = new EvaluationLog(_database);
        _meters = new BenchMeters();
        _telemetry = new MgAuthTelemetry(_meters, TimeProvider.System);
        var rules = new ActiveRules(TimeProvider.System);
        rules.Activate(new RuleSet("benchmark", ExampleRequests.Pack, ExampleRequests.Policies));
        _service = new AuthorizationService(_store, rules, TimeProvider.System, _telemetry);
        // What a stored case refers to: its organization (with a key, as the service issues them) and the pack and policy versions.
        var key = new ApiKeys(_database, TimeProvider.System).CreateAsync(new AuditActor("benchmark", Roles.Admin, null), "org-bench",
            Roles.Provider, "benchmark").GetAwaiter().GetResult().Record;
        var release = RuleRelease.FromFolders(RepositoryFolders.Pack, RepositoryFolders.Policies);
        _database.Writer.WriteAsync((connection, transaction) => RuleVersionStore.RememberSourcesAsync(connection, transaction, release,
            ExampleRequests.Pack.Reference.Id, ExampleRequests.Pack.Reference.Version, "benchmark", "benchmark", DateTimeOffset.UtcNow)).GetAwaiter().GetResult();
        _caller = new Caller(key.Id, key.OrganizationId, key.Role, "1234567893", new Person(Person.KeysIssuer, key.Id, "Benchmark"));
        _bytes = ExampleRequests.Bytes(Example);
        var read = DecisionPipeline.Read(_bytes, ExampleRequests.AsOf, ExampleRequests.Policies);
        _memberId = read.Request!.Member.Id;
        _decision = read.Decide(ExampleRequests.Pack).Decision!;
        _record = new EvaluationRecord(DateTimeOffset.UtcNow, _caller.Actor, _caller.OrganizationId, 200, ContractNames.Of(_decision.Outcome),
            _decision.Policy.Id, _decision.Policy.Version, _decision.RulePack.Sha256);
        if (Traced)
        {
            _listener = new ActivityListener
            {
                ShouldListenTo = source => source.Name == MgAuthTelemetry.Name,
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            };
            ActivitySource.AddActivityListener(_listener);
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _listener?.Dispose();
        _meters.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>A connection from the pool with its PRAGMAs (Database.OpenAsync), closed: what every query of the store starts with.</summary>
    [Benchmark]
    public async Task OpenConnection()
    {
        await using var connection = await _database.OpenAsync();
    }

    /// <summary>The member's approved cases (none): what evaluate and submit read before deciding.</summary>
    [Benchmark]
    public Task<Prior> HistoryQuery() => _store.PriorAsync(_caller.OrganizationId, _memberId, null, _caller.MaySee);

    /// <summary>One evaluations audit row, committed through the writer (alone: a group of one).</summary>
    [Benchmark]
    public Task AuditRow() => _log.RecordAsync(_record);

    /// <summary>The span, the duration histogram and the decisions counter around one decision (the decision itself made already).</summary>
    [Benchmark]
    public Decision Telemetry()
    {
        var decision = _telemetry.Timed(MgAuthTelemetry.Evaluate, () => _decision);
        _telemetry.Decided(MgAuthTelemetry.Evaluate, DecisionLabels.Of(decision));
        return decision;
    }

    /// <summary>The evaluate use case: read, history, decide (with telemetry); the endpoint adds the body, the audit row and the answer.</summary>
    [Benchmark]
    public Task<Refusable<Decision>> Evaluate() => _service.EvaluateAsync(_bytes, _caller);

    /// <summary>The submit use case: read, history, decide, serialize, store the case with its revision and event.</summary>
    [Benchmark]
    public Task<Refusable<Submitted>> StoredSubmit() => _service.SubmitAsync(_bytes, _caller.OrganizationId, _caller.Actor, null);

    /// <summary>Meters made and disposed with the benchmark, as the host's factory does.</summary>
    private sealed class BenchMeters : IMeterFactory
    {
        private readonly List<Meter> _made = [];

        public Meter Create(MeterOptions options)
        {
            var meter = new Meter(options);
            _made.Add(meter);
            return meter;
        }

        public void Dispose()
        {
            foreach (var meter in _made) meter.Dispose();
        }
    }
}
