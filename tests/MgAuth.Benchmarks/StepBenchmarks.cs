using System.Text.Encodings.Web;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using MgAuth.Cases.Authorizations;
using MgAuth.Cases.Decisions;
using MgAuth.Domain.Decisions;
using MgAuth.Domain.Facts;
using MgAuth.Domain.Policies;
using MgAuth.Domain.Requests;
using MgAuth.RulePacks;
using NRules;

namespace MgAuth.Benchmarks;

/// <summary>
/// A decision's in-process steps, each run alone on the example's own inputs (made once, outside the measurement), so
/// the budget per request is measured step by step (README, Performance): read and validate, build the facts, open a
/// session, insert, fire, derive, serialize the decision (as /v1/evaluate answers it, and as a submission stores it)
/// and the provider's view of a stored answer. The session steps are cumulative (create; create+insert;
/// create+insert+fire): a step is the difference of two rows. <see cref="Decide"/> is the whole of
/// <see cref="Decider.Decide"/>; what it costs beyond facts, session and derive is the trace and the gathering of
/// the conclusions.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class StepBenchmarks
{
    // /v1/evaluate answers through ASP.NET Core's JSON options (web defaults, the relaxed encoder: ServiceSetup).
    private static readonly JsonSerializerOptions HttpJson = new(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private byte[] _bytes = [];
    private AuthorizationRequest _request = null!;
    private Policy _policy = null!;
    private RequestFacts _facts = null!;
    private ISessionFactory _sessions = null!;
    private Conclusions _conclusions = null!;
    private Decision _decision = null!;
    private CaseDecision _stored = null!;
    private byte[] _storedJson = [];

    [ParamsSource(nameof(Examples))]
    public string Example { get; set; } = "";

    public static IEnumerable<string> Examples() => ExampleRequests.Chosen();

    [GlobalSetup]
    public void Setup()
    {
        _bytes = ExampleRequests.Bytes(Example);
        var read = DecisionPipeline.Read(_bytes, ExampleRequests.AsOf, ExampleRequests.Policies);
        if (read.Problem is not null) throw new InvalidOperationException($"examples/{Example}.json is rejected");
        (_request, _policy) = (read.Request!, read.Policy!);
        _facts = FactBuilder.Build(_request, _policy, ExampleRequests.AsOf, []);
        _sessions = ExampleRequests.Pack.Sessions;
        _decision = Decide();
        // What the rules concluded, gathered from a session as the decider does (the trace is the decider's own).
        var session = CreateInsertFire();
        var reasons = session.Query<Reason>().ToArray();
        _conclusions = new Conclusions(reasons, session.Query<AuthorizationCap>().FirstOrDefault(),
            session.Query<UrgencyEscalation>().FirstOrDefault(), _decision.Trace, null);
        if (Derive().Outcome != _decision.Outcome) throw new InvalidOperationException("the derive step does not reproduce the decision");
        _stored = new CaseDecision
        {
            AuthorizationId = "PA-BENCH-0000000000", Revision = 1, ReceivedAt = DateTimeOffset.UnixEpoch,
            DueBy = DateTimeOffset.UnixEpoch.AddDays(7), Decision = _decision,
        };
        _storedJson = SerializeStored();
    }

    [Benchmark]
    public ReadRequest ReadAndValidate() => DecisionPipeline.Read(_bytes, ExampleRequests.AsOf, ExampleRequests.Policies);

    [Benchmark]
    public RequestFacts Facts() => FactBuilder.Build(_request, _policy, ExampleRequests.AsOf, []);

    [Benchmark]
    public ISession SessionCreate() => _sessions.CreateSession();

    [Benchmark]
    public ISession SessionCreateInsert()
    {
        var session = _sessions.CreateSession();
        session.InsertAll(_facts.Facts.Prepend(_policy)); // in one batch, as the decider inserts them
        return session;
    }

    [Benchmark]
    public ISession SessionCreateInsertFire() => CreateInsertFire();

    [Benchmark]
    public Decision Derive() => DecisionDeriver.Derive(_facts, _policy, _conclusions, ExampleRequests.Pack.Reference);

    /// <summary>Facts, session, trace, conclusions and derive: the decider whole, on a request already read.</summary>
    [Benchmark]
    public Decision Decide() => Decider.Decide(ExampleRequests.Pack, _request, _policy, ExampleRequests.AsOf);

    /// <summary>The decision as /v1/evaluate writes it to the response.</summary>
    [Benchmark]
    public byte[] SerializeEvaluated() => JsonSerializer.SerializeToUtf8Bytes(_decision, HttpJson);

    /// <summary>The decision as a submission stores it (the revision's decision_json) and answers it.</summary>
    [Benchmark]
    public byte[] SerializeStored() => JsonSerializer.SerializeToUtf8Bytes(_stored, MgAuthJson.Compact);

    /// <summary>The provider's view of a submission's stored answer (nothing withheld from a decision just made).</summary>
    [Benchmark]
    public byte[] ProviderViewOfStored() => ProviderView.Of(_stored, _storedJson);

    private ISession CreateInsertFire()
    {
        var session = SessionCreateInsert();
        session.Fire(1_000);
        return session;
    }
}
