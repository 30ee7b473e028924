using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using MgAuth.Cases;
using MgAuth.Cases.Data;
using MgAuth.Cases.Decisions;
using MgAuth.Cases.Releases;
using MgAuth.Cases.Security;
using MgAuth.Cases.Subscriptions;
using MgAuth.Cases.Telemetry;
using MgAuth.Cases.Workflow;
using MgAuth.Domain.Decisions;
using MgAuth.Domain.Facts;
using MgAuth.Domain.Requests;
using MgAuth.RulePacks;

namespace MgAuth.Cases.Authorizations;

/// <summary>
/// A submission decided and stored: <paramref name="Json"/> is the decision exactly as stored, sent as the answer;
/// <paramref name="Replayed"/> when it is the first answer to an earlier submission with the same Idempotency-Key.
/// </summary>
public sealed record Submitted(CaseDecision Decision, byte[] Json, bool Replayed);

/// <summary>
/// Validate, decide, store, answer: the path one authorization request travels. The decision and
/// everything that made it are stored in one transaction before anyone hears of it.
/// </summary>
public sealed class AuthorizationService(AuthorizationStore store, ActiveRules rules, TimeProvider clock, MgAuthTelemetry telemetry)
{
    public static readonly string EngineVersion = Decider.EngineVersion;

    /// <summary>
    /// The submit use case, each step once: read the contract request (the bytes sent, or the contract object a PAS
    /// Bundle was read into), find what is stored before it (the first answer to its Idempotency-Key, else the member's
    /// history), decide, open the case, store it with its first revision (and <paramref name="pasBundle"/>, the PAS
    /// request Bundle it came in from Claim/$submit) in one transaction. With <paramref name="pendMissingFacts"/> (a PAS
    /// request: PAS pends a request missing clinical facts, A4) a request the contract refuses only for required fields
    /// it leaves out opens a case too, decided from the one reason naming them (<see cref="IncompleteRead"/>); without
    /// it (the /v1 contract) such a request is refused, every field named.
    /// </summary>
    public async Task<Refusable<Submitted>> SubmitAsync(RequestJson request, string organizationId, Actor actor, string? idempotencyKey,
        CancellationToken cancellationToken = default, PasBundle? pasBundle = null, bool pendMissingFacts = false)
    {
        // Stored and hashed as it came: the bytes sent, or the contract object's JSON text.
        var requestText = request.Bytes is { } bytes ? System.Text.Encoding.UTF8.GetString(bytes) : request.Text ?? request.Element!.Value.GetRawText();
        var requestSha = Convert.ToHexStringLower(SHA256.HashData(request.Bytes ?? System.Text.Encoding.UTF8.GetBytes(requestText)));
        var receivedAt = clock.GetUtcNow();
        var asOf = DateOnly.FromDateTime(receivedAt.UtcDateTime);
        var ruleSet = rules.Current;
        var read = DecisionPipeline.Read(request, asOf, ruleSet.Policies);
        var incomplete = read.Problem is not null && pendMissingFacts ? DecisionPipeline.ReadIncomplete(request, read, ruleSet.Policies) : null;
        if (read.Problem is { } problem && incomplete is null)
            // A retry is answered as the first time even when the request no longer reads (the rules changed meanwhile).
            return idempotencyKey is not null && await store.FirstAnswerAsync(organizationId, idempotencyKey, cancellationToken) is { } answered
                ? Replay(answered, requestSha)
                : Refusal.Rejected(problem);

        var memberId = read.Request?.Member.Id ?? incomplete!.Request.MemberId;
        var prior = await store.PriorAsync(organizationId, memberId, idempotencyKey, cancellationToken: cancellationToken);
        if (prior.Earlier is { } earlier) return Replay(earlier, requestSha);
        var id = NewId(receivedAt);
        // An incomplete request is decided on no history: no rule runs on it.
        IReadOnlyList<PlanApproval> history = incomplete is null ? prior.History : [];
        var decision = incomplete is not null ? incomplete.Decide(ruleSet.Pack)
            : telemetry.Timed(MgAuthTelemetry.Submit, () => Decider.Decide(ruleSet.Pack, read.Request!, read.Policy!, asOf,
                new DecideOptions { History = history }));
        var dueBy = receivedAt + Timeframes[decision.Urgency];
        var stored = new CaseDecision { AuthorizationId = id, Revision = 1, ReceivedAt = receivedAt, DueBy = dueBy, Decision = decision };
        var row = (incomplete is null
            ? Case.Opened(id, organizationId, read.Request!, decision, receivedAt, dueBy, idempotencyKey, requestSha)
            : Case.Opened(id, organizationId, incomplete.Request, decision, receivedAt, dueBy, idempotencyKey, requestSha)).Row;
        var revision = Revision(requestText, stored, history, ruleSet, (read.Policy ?? incomplete!.Policy).Sha256, receivedAt);
        if (!await store.InsertAsync(new NewAuthorization(row, revision, actor) { PasBundle = pasBundle }, cancellationToken))
            // Another submission with the same key won the race: answer with its result.
            return await store.FirstAnswerAsync(organizationId, idempotencyKey!, cancellationToken) is { } winner
                ? Replay(winner, requestSha)
                : CaseRefusals.IdempotencyKeyReused;
        telemetry.Decided(MgAuthTelemetry.Submit, DecisionLabels.Of(decision));
        return new Submitted(stored, System.Text.Encoding.UTF8.GetBytes(revision.DecisionJson), Replayed: false);
    }

    /// <summary>
    /// Decides without storing (the portal's "will this need review?"), on the member's history in the cases the
    /// caller may see: a provider's answer never rests on, and so never tells, another organization's approvals.
    /// </summary>
    public async Task<Refusable<Decision>> EvaluateAsync(byte[] body, Caller caller, CancellationToken cancellationToken = default)
    {
        var asOf = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var ruleSet = rules.Current;
        var read = DecisionPipeline.Read(body, asOf, ruleSet.Policies);
        if (read.Problem is { } problem) return Refusal.Rejected(problem);
        var history = (await store.PriorAsync(caller.OrganizationId, read.Request!.Member.Id, null, caller.MaySee, cancellationToken)).History;
        var decision = telemetry.Timed(MgAuthTelemetry.Evaluate, () => Decider.Decide(ruleSet.Pack, read.Request, read.Policy!, asOf,
            new DecideOptions { History = history }));
        telemetry.Decided(MgAuthTelemetry.Evaluate, DecisionLabels.Of(decision));
        return decision;
    }

    /// <summary>Why a case takes no supplement: only a pended one does.</summary>
    public static Refusal? SupplementRefusal(AuthorizationRow row) => new Case(row).SupplementRefusal;

    /// <summary>Merges the provider's documentation over the stored request and decides the case again.</summary>
    public async Task<Refusable<CaseDecision>> SupplementAsync(AuthorizationRow row, byte[] patch, Actor actor,
        CancellationToken cancellationToken = default)
    {
        var current = await store.RevisionAsync(row.Id, row.Revision, cancellationToken)
            ?? throw new InvalidOperationException($"revision {row.Revision} of {row.Id} is missing");
        byte[] merged;
        try
        {
            merged = JsonMergePatch.Apply(current.RequestJson, patch);
        }
        catch (JsonException e)
        {
            return Refusal.Rejected(ProblemDocument.NotJson(e.Message));
        }
        return await RedecideAsync(row, current, merged, actor, cancellationToken);
    }

    /// <summary>
    /// A PAS Claim update (<c>Claim.related</c> naming the case's Claim): the whole request sent again, complete, in
    /// place of the stored one, and the case decided again as a supplement is — same case, next revision, the release
    /// in force, the provider's organization's notifications when the result changes.
    /// </summary>
    public async Task<Refusable<CaseDecision>> UpdateAsync(AuthorizationRow row, RequestJson request, Actor actor,
        CancellationToken cancellationToken = default)
    {
        var current = await store.RevisionAsync(row.Id, row.Revision, cancellationToken)
            ?? throw new InvalidOperationException($"revision {row.Revision} of {row.Id} is missing");
        var bytes = request.Bytes ?? System.Text.Encoding.UTF8.GetBytes(request.Text ?? request.Element!.Value.GetRawText());
        return await RedecideAsync(row, current, bytes, actor, cancellationToken);
    }

    // The supplement's and the update's one path: read the new request as of the case's date, decide it under the
    // release in force, and store it as the case's next revision.
    private async Task<Refusable<CaseDecision>> RedecideAsync(AuthorizationRow row, RevisionRecord current, byte[] merged, Actor actor,
        CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var ruleSet = rules.Current;
        var read = DecisionPipeline.Read(merged, current.AsOf, ruleSet.Policies);
        if (read.Problem is { } problem) return Refusal.Rejected(problem);
        var request = read.Request!;
        if (request.Member.Id != row.MemberId)
            return Refusal.Rejected(ProblemDocument.InvalidRequest(new Dictionary<string, string[]> { ["member.id"] = ["a supplement cannot change the member"] }));

        var history = (await store.PriorAsync(row.OrganizationId, request.Member.Id, null, cancellationToken: cancellationToken)).History
            .Where(h => (h as ApprovedAuthorization)?.AuthorizationId != row.Id).ToArray();
        var receivedAt = row.ReceivedAt;
        var revisionNumber = (int)row.Revision + 1;
        var decision = telemetry.Timed(MgAuthTelemetry.Supplement, () => Decider.Decide(ruleSet.Pack, request, read.Policy!, read.AsOf,
            new DecideOptions { History = history }));
        var stored = new CaseDecision
        {
            AuthorizationId = row.Id, Revision = revisionNumber, ReceivedAt = receivedAt, DueBy = DueBy(receivedAt, decision), Decision = decision,
        };
        var supplemented = new Case(row).Supplemented(request, decision, stored.DueBy.Value, now);
        if (supplemented.IsRefused(out var notPended)) return notPended;
        var updated = supplemented.Value.Row;
        var revision = Revision(System.Text.Encoding.UTF8.GetString(merged), stored, history, ruleSet, read.Policy!.Sha256, now);
        // The revision and, when the case is decided at last, its PAS notifications: one transaction.
        var notifications = SubscriptionStore.NotificationsOf(row.Id, now, CaseEventKind.Decided, row.Status, updated.Status);
        if (!await store.AddRevisionAsync(updated, row.Version, revision, actor, row.Status, notifications, cancellationToken))
            return CaseRefusals.Changed("the supplement was applied", "resend the documentation");
        telemetry.Decided(MgAuthTelemetry.Supplement, DecisionLabels.Of(decision));
        return stored;
    }

    public async Task<CaseDecision?> DecisionAsync(AuthorizationRow row, CancellationToken cancellationToken = default)
    {
        var revision = await store.RevisionAsync(row.Id, row.Revision, cancellationToken);
        return revision is null ? null : JsonSerializer.Deserialize<CaseDecision>(revision.DecisionJson, MgAuthJson.Compact);
    }

    // The first answer to the key: refused when it went with another request.
    private static Refusable<Submitted> Replay(FirstAnswer first, string requestSha) =>
        first.RequestSha256 != requestSha ? CaseRefusals.IdempotencyKeyReused
        : new Submitted(JsonSerializer.Deserialize<CaseDecision>(first.DecisionJson, MgAuthJson.Compact)!,
            System.Text.Encoding.UTF8.GetBytes(first.DecisionJson), Replayed: true);

    /// <summary>CMS 2026 prior-authorization timeframes: 72 hours expedited, 7 calendar days standard.</summary>
    public static readonly IReadOnlyDictionary<Urgency, TimeSpan> Timeframes = new Dictionary<Urgency, TimeSpan>
    {
        [Urgency.Expedited] = TimeSpan.FromHours(72),
        [Urgency.Standard] = TimeSpan.FromDays(7),
    };

    /// <summary>When a decision on a request received at <paramref name="receivedAt"/> is due (<see cref="Timeframes"/>).</summary>
    public static DateTimeOffset DueBy(DateTimeOffset receivedAt, Decision decision) => receivedAt + Timeframes[decision.Urgency];

    private static RevisionRecord Revision(string request, CaseDecision stored, IReadOnlyList<PlanApproval> history,
        RuleSet ruleSet, string policySha, DateTimeOffset at) =>
        new()
        {
            Revision = stored.Revision,
            RequestJson = request,
            DecisionJson = JsonSerializer.Serialize(stored, MgAuthJson.Compact),
            HistoryJson = JsonSerializer.Serialize(history, MgAuthJson.Compact),
            PackSha256 = ruleSet.Pack.Sha256,
            PackVersion = ruleSet.Pack.Manifest.Version,
            PolicyId = stored.Decision.Policy.Id,
            PolicyVersion = stored.Decision.Policy.Version,
            PolicySha256 = policySha,
            AsOf = stored.Decision.AsOf,
            EngineVersion = EngineVersion,
            DecidedAt = at,
        };

    /// <summary>Time-ordered and unguessable: PA-&lt;ms since epoch, base36&gt;-&lt;random&gt;.</summary>
    public static string NewId(DateTimeOffset at)
    {
        const string digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
        var chars = new Stack<char>();
        var value = at.ToUnixTimeMilliseconds();
        do { chars.Push(digits[(int)(value % 36)]); value /= 36; } while (value > 0);
        return $"PA-{new string(chars.ToArray())}-{Convert.ToHexString(RandomNumberGenerator.GetBytes(5))}";
    }
}
