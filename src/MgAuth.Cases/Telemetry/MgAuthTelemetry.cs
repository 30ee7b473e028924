using System.Diagnostics;
using System.Diagnostics.Metrics;
using MgAuth.Cases.Data;
using MgAuth.Domain.Decisions;
using MgAuth.Domain.Requests;

namespace MgAuth.Cases.Telemetry;

/// <summary>
/// The service's own metrics (Meter "MgAuth") and spans (ActivitySource "MgAuth"), exported with ASP.NET Core's and the
/// runtime's (README, Observability). Labels and span tags are outcomes, statuses, policy ids and versions, where a
/// decision came from, counts: never a member id, a name, a date, a clinical value or a case id.
/// </summary>
public sealed class MgAuthTelemetry
{
    public const string Name = "MgAuth";

    /// <summary>Where a decision came from: the <c>source</c> label.</summary>
    public const string Submit = "submit", Evaluate = "evaluate", Supplement = "supplement", Determination = "determination";

    /// <summary>How long a counted queue depth is reported before the database is asked again.</summary>
    public static readonly TimeSpan QueueDepthCacheFor = TimeSpan.FromSeconds(5);

    /// <summary>Spans: one per decision (<c>mgauth.decide</c>), one per SQLite group commit (<c>mgauth.writer.commit</c>).</summary>
    public static readonly ActivitySource Source = new(Name);

    private readonly Counter<long> _decisions;
    private readonly Histogram<double> _decisionDuration;
    private readonly Histogram<int> _batchSize;
    private readonly Counter<long> _notifications;
    private readonly TimeProvider _clock;
    private readonly Func<long>? _queueDepth;
    private readonly Lock _depthLock = new();
    private (long Depth, DateTimeOffset At)? _lastDepth;

    /// <param name="meters">The host's meter factory: the meter lives and dies with the host.</param>
    /// <param name="clock">Ages the cached queue depth.</param>
    /// <param name="queueDepth">Counts the cases waiting for a reviewer (a cheap SQL COUNT); none, no gauge.</param>
    public MgAuthTelemetry(IMeterFactory meters, TimeProvider clock, Func<long>? queueDepth = null)
    {
        _clock = clock;
        _queueDepth = queueDepth;
        var meter = meters.Create(Name);
        _decisions = meter.CreateCounter<long>("mgauth.decisions", "{decision}",
            "Decisions made, by source (submit, evaluate, supplement, determination), outcome, status and policy");
        _decisionDuration = meter.CreateHistogram<double>("mgauth.decision.duration", "ms",
            "How long the rules took to decide one request (submit, evaluate, supplement)",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 1000] });
        _batchSize = meter.CreateHistogram<int>("mgauth.writer.batch_size", "{write}",
            "Writes committed in one transaction (SQLite's group commit; always 1 on PostgreSQL)",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128] });
        _notifications = meter.CreateCounter<long>("mgauth.notifications", "{attempt}",
            "PAS notification delivery attempts, by kind (handshake, event-notification) and result (delivered, retrying, given-up)");
        if (queueDepth is not null)
            meter.CreateObservableGauge("mgauth.review_queue.depth", ObserveQueueDepth, "{case}",
                "Pended cases waiting for a reviewer (counted at most every 5 s)");
    }

    /// <summary>
    /// One run of the rules in a span of its own (its policy, outcome, status and rules fired as tags), timed into the
    /// duration histogram; an exception marks the span and goes on. The decision is counted (<see cref="Decided"/>) once
    /// it is stored or, for an evaluation, answered.
    /// </summary>
    public Decision Timed(string source, Func<Decision> decide)
    {
        using var span = Source.StartActivity("mgauth.decide");
        span?.SetTag("mgauth.source", source);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var decision = decide();
            var elapsed = Stopwatch.GetElapsedTime(started);
            var labels = DecisionLabels.Of(decision);
            if (span is not null)
            {
                span.SetTag("mgauth.policy.id", labels.PolicyId);
                span.SetTag("mgauth.policy.version", labels.PolicyVersion);
                span.SetTag("mgauth.outcome", labels.Outcome);
                span.SetTag("mgauth.status", labels.Status);
                span.SetTag("mgauth.rules_fired", decision.Trace.Count);
            }
            _decisionDuration.Record(elapsed.TotalMilliseconds, Tags(source, labels));
            return decision;
        }
        catch (Exception e)
        {
            span?.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
            throw;
        }
    }

    /// <summary>A decision was made and, for a case, stored.</summary>
    public void Decided(string source, DecisionLabels labels) => _decisions.Add(1, Tags(source, labels));

    /// <summary>One transaction committed <paramref name="writes"/> writes.</summary>
    public void Committed(int writes) => _batchSize.Record(writes);

    /// <summary>One attempt to deliver a PAS notification (no subscription or case named: organizations stay apart in metrics too).</summary>
    public void NotificationAttempted(string kind, string result) =>
        _notifications.Add(1, new KeyValuePair<string, object?>("kind", kind), new KeyValuePair<string, object?>("result", result));

    private static TagList Tags(string source, DecisionLabels labels) => new()
    {
        { "source", source },
        { "outcome", labels.Outcome },
        { "status", labels.Status },
        { "policy", labels.PolicyId },
        { "policy_version", labels.PolicyVersion },
    };

    private IEnumerable<Measurement<long>> ObserveQueueDepth()
    {
        lock (_depthLock)
        {
            var now = _clock.GetUtcNow();
            if (_lastDepth is not { } last || now - last.At >= QueueDepthCacheFor)
            {
                // A database that cannot answer leaves the last count standing (or none): a scrape never fails for it.
                try { _lastDepth = (_queueDepth!(), now); }
                catch (Exception e) when (DatabaseErrors.IsUnavailable(e) || e is InvalidOperationException) { }
            }
            return _lastDepth is { } depth ? [new Measurement<long>(depth.Depth)] : [];
        }
    }
}

/// <summary>What a decision is labelled with: its outcome (approve, deny, review), the case's status, and the policy.</summary>
public readonly record struct DecisionLabels(string Outcome, string Status, string PolicyId, string PolicyVersion)
{
    public static DecisionLabels Of(Decision decision) =>
        new(ContractNames.Of(decision.Outcome), ContractNames.Of(decision.Status), decision.Policy.Id, decision.Policy.Version);
}
