using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using MgAuth.Cases;
using MgAuth.Cases.Data;
using MgAuth.Cases.Decisions;
using MgAuth.Cases.Releases;
using MgAuth.Cases.Security;
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
    public const string OtherOrganization = ApprovedAuthorization.HeldElsewhere;

    public static readonly string EngineVersion = Decider.EngineVersion;

    /// <summary>
    /// Validates, decides and stores a contract request. <paramref name="pasBundle"/>: the PAS request Bundle it was
    /// read from (Claim/$submit), stored with the case in the same transaction.
    /// </summary>
    public async Task<Refusable<Submitted>> SubmitAsync(byte[] body, string organizationId, Actor actor, string? idempotencyKey,
        CancellationToken cancellationToken = default, PasBundle? pasBundle = null)
    {
        var requestSha = Convert.ToHexStringLower(SHA256.HashData(body));
        if (idempotencyKey is not null && await ReplayAsync(organizationId, idempotencyKey, requestSha, cancellationToken) is { } earlier)
            return earlier;

        var receivedAt = clock.GetUtcNow();
        var asOf = DateOnly.FromDateTime(receivedAt.UtcDateTime);
        var ruleSet = rules.Current;
        var read = DecisionPipeline.Read(body, asOf, ruleSet.Policies);
        if (read.Problem is { } problem) return Refusal.Rejected(problem);

        var history = await HistoryAsync(read.Request!.Member.Id, organizationId, cancellationToken);
        var id = NewId(receivedAt);
        var decision = Decide(MgAuthTelemetry.Submit, ruleSet, read, history);
        var stored = new CaseDecision { AuthorizationId = id, Revision = 1, ReceivedAt = receivedAt, DueBy = DueBy(receivedAt, decision), Decision = decision };
        var row = Case.Opened(id, organizationId, read.Request!, decision, receivedAt, stored.DueBy.Value, idempotencyKey, requestSha).Row;
        var revision = Revision(body, stored, history, ruleSet, read.Policy!.Sha256, receivedAt);
        if (!await store.InsertAsync(new NewAuthorization(row, revision, actor) { PasBundle = pasBundle }, cancellationToken))
            // Another submission with the same key won the race: answer with its result.
            return await ReplayAsync(organizationId, idempotencyKey!, requestSha, cancellationToken) ?? CaseRefusals.IdempotencyKeyReused;
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
        var history = await HistoryAsync(read.Request!.Member.Id, caller.OrganizationId, cancellationToken, caller.MaySee);
        var decision = Decide(MgAuthTelemetry.Evaluate, ruleSet, read, history);
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

        var now = clock.GetUtcNow();
        var ruleSet = rules.Current;
        var read = DecisionPipeline.Read(merged, current.AsOf, ruleSet.Policies);
        if (read.Problem is { } problem) return Refusal.Rejected(problem);
        var request = read.Request!;
        if (request.Member.Id != row.MemberId)
            return Refusal.Rejected(ProblemDocument.InvalidRequest(new Dictionary<string, string[]> { ["member.id"] = ["a supplement cannot change the member"] }));

        var history = (await HistoryAsync(request.Member.Id, row.OrganizationId, cancellationToken)).Where(h => h.AuthorizationId != row.Id).ToArray();
        var receivedAt = row.ReceivedAt;
        var revisionNumber = (int)row.Revision + 1;
        var decision = Decide(MgAuthTelemetry.Supplement, ruleSet, read, history);
        var stored = new CaseDecision
        {
            AuthorizationId = row.Id, Revision = revisionNumber, ReceivedAt = receivedAt, DueBy = DueBy(receivedAt, decision), Decision = decision,
        };
        var supplemented = new Case(row).Supplemented(request, decision, stored.DueBy.Value, now);
        if (supplemented.IsRefused(out var notPended)) return notPended;
        var updated = supplemented.Value.Row;
        var revision = Revision(merged, stored, history, ruleSet, read.Policy!.Sha256, now);
        if (!await store.AddRevisionAsync(updated, row.Version, revision, actor, row.Status, cancellationToken))
            return CaseRefusals.Changed("the supplement was applied", "resend the documentation");
        telemetry.Decided(MgAuthTelemetry.Supplement, DecisionLabels.Of(decision));
        return stored;
    }

    public async Task<CaseDecision?> DecisionAsync(AuthorizationRow row, CancellationToken cancellationToken = default)
    {
        var revision = await store.RevisionAsync(row.Id, row.Revision, cancellationToken);
        return revision is null ? null : JsonSerializer.Deserialize<CaseDecision>(revision.DecisionJson, MgAuthJson.Compact);
    }

    // The first answer to the key, if it was used: refused when it went with another request.
    private async Task<Refusable<Submitted>?> ReplayAsync(string organizationId, string key, string requestSha, CancellationToken cancellationToken)
    {
        var existing = await store.FindByIdempotencyKeyAsync(organizationId, key, cancellationToken);
        if (existing is null) return null;
        if (existing.RequestSha256 != requestSha) return CaseRefusals.IdempotencyKeyReused;
        var first = await store.RevisionAsync(existing.Id, 1, cancellationToken);
        return new Submitted(JsonSerializer.Deserialize<CaseDecision>(first!.DecisionJson, MgAuthJson.Compact)!,
            System.Text.Encoding.UTF8.GetBytes(first.DecisionJson), Replayed: true);
    }

    // The member's approved authorizations across the plan (or in the organizations given); another organization's
    // case is counted but not named, so a decision never shows one organization another's case ids, and what a
    // provider reads of it is ProviderView's.
    private async Task<IReadOnlyList<ApprovedAuthorization>> HistoryAsync(string memberId, string organizationId,
        CancellationToken cancellationToken, Func<string, bool>? organizations = null) =>
        (await store.ApprovedForMemberAsync(memberId, cancellationToken))
            .Where(a => a.ValidFrom is not null && a.ValidThrough is not null)
            .Where(a => organizations is null || organizations(a.OrganizationId))
            .Select(a => new ApprovedAuthorization(a.OrganizationId == organizationId ? a.Id : OtherOrganization,
                a.Indication, a.ValidFrom!.Value, a.ValidThrough!.Value))
            .ToArray();

    // The rules run in a span of their own, timed; the decision is counted once it is stored (or, for evaluate, answered).
    private Decision Decide(string source, RuleSet ruleSet, ReadRequest read, IReadOnlyList<ApprovedAuthorization> history)
    {
        using var span = MgAuthTelemetry.StartDeciding(source);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var decision = read.Decide(ruleSet.Pack, history).Decision!;
            telemetry.RulesRan(span, source, DecisionLabels.Of(decision), decision.Trace.Count, Stopwatch.GetElapsedTime(started));
            return decision;
        }
        catch (Exception e)
        {
            span?.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
            throw;
        }
    }

    /// <summary>CMS 2026 prior-authorization timeframes: 72 hours expedited, 7 calendar days standard.</summary>
    public static DateTimeOffset DueBy(DateTimeOffset receivedAt, Decision decision) =>
        decision.Urgency == Urgency.Expedited ? receivedAt.AddHours(72) : receivedAt.AddDays(7);

    private static RevisionRecord Revision(byte[] request, CaseDecision stored, IReadOnlyList<ApprovedAuthorization> history,
        RuleSet ruleSet, string policySha, DateTimeOffset at) =>
        new()
        {
            Revision = stored.Revision,
            RequestJson = System.Text.Encoding.UTF8.GetString(request),
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

    // Time-ordered and unguessable: PA-<ms since epoch, base36>-<random>.
    public static string NewId(DateTimeOffset at) =>
        $"PA-{ToBase36(at.ToUnixTimeMilliseconds())}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(5))}".ToUpperInvariant();

    private static string ToBase36(long value)
    {
        const string digits = "0123456789abcdefghijklmnopqrstuvwxyz";
        var chars = new Stack<char>();
        do { chars.Push(digits[(int)(value % 36)]); value /= 36; } while (value > 0);
        return new string(chars.ToArray());
    }
}
