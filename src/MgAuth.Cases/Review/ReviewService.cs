using System.Text.Json;
using MgAuth.Cases.Authorizations;
using MgAuth.Cases.Data;
using MgAuth.Cases.Decisions;
using MgAuth.Cases.Releases;
using MgAuth.Cases.Security;
using MgAuth.Cases.Subscriptions;
using MgAuth.Cases.Telemetry;
using MgAuth.Cases.Workflow;
using MgAuth.Domain.Decisions;
using MgAuth.Domain.Policies;
using MgAuth.Domain.Requests;

namespace MgAuth.Cases.Review;

public sealed class ReviewOptions
{
    /// <summary>How long a claim holds a case for its reviewer before others may take it.</summary>
    public double ClaimMinutes { get; set; } = 30;

    /// <summary>How long after a decision the provider may appeal it (the notice says so).</summary>
    public int AppealWithinDays { get; set; } = 60;
}

/// <summary>A determination as recorded: the case's decision now and the version it is at.</summary>
public sealed record DeterminedCase(CaseDecision Decision, long Version);

/// <summary>The body of POST /v1/authorizations/{id}/appeals.</summary>
public sealed record AppealBody(string? Reason, string? Urgency);

/// <summary>
/// People working pended cases: the queue, claims, determinations and appeals. Every change is
/// checked against the version the person saw and written with its event in one transaction.
/// </summary>
public sealed class ReviewService(
    AuthorizationStore store, ReviewStore review, CaseDecisions cases, RuleVersionStore versions, ActiveRules rules,
    ReviewOptions options, TimeProvider clock, MgAuthTelemetry telemetry)
{
    public ReviewOptions Options => options;

    public async Task<ReviewQueue> QueueAsync(QueueFilter filter, Caller caller, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var rows = await review.QueueAsync(filter, now, cancellationToken);
        return new ReviewQueue(rows.Items.Select(r => QueueItem.Of(r, now, caller)).ToArray(), rows.Page, rows.PageSize, rows.Total, now,
            new QueueViewer(caller.KeyId, caller.Role) { Person = caller.Person, Name = caller.Person.Name });
    }

    public async Task<Refusable<ClaimView>> ClaimAsync(AuthorizationRow row, Caller caller, CancellationToken cancellationToken = default)
    {
        if (new Case(row).ClaimRefusal is { } notPended) return notPended;
        var now = clock.GetUtcNow();
        var claim = await review.ClaimAsync(row.Id, caller.Actor, now, now.AddMinutes(Options.ClaimMinutes), cancellationToken);
        return claim.IsRefused(out var refused) ? refused : ClaimView.Of(claim.Value, caller);
    }

    public async Task<ClaimView?> CurrentClaimAsync(AuthorizationRow row, Caller caller, CancellationToken cancellationToken = default) =>
        await review.ClaimAsync(row.Id, clock.GetUtcNow(), cancellationToken) is { } claim ? ClaimView.Of(claim, caller) : null;

    /// <summary>Gives up a claim: the holder's own, or anyone's for an admin.</summary>
    public Task<Refusable<bool>> ReleaseAsync(AuthorizationRow row, Caller caller, CancellationToken cancellationToken = default) =>
        review.ReleaseAsync(row.Id, caller.Actor, caller.Role == Roles.Admin, clock.GetUtcNow(), cancellationToken);

    /// <summary>Records a person's determination of a pended case seen at <paramref name="seenVersion"/>.</summary>
    public async Task<Refusable<DeterminedCase>> DetermineAsync(AuthorizationRow row, DeterminationRequest request,
        Caller caller, long seenVersion, CancellationToken cancellationToken = default)
    {
        if (await RefusalAsync(row, request.Action, caller, cancellationToken) is { } refused) return refused;
        if (seenVersion != row.Version) return CaseRefusals.Stale(row.Version);
        var determined = new Case(row).Determine(request.Action);
        if (determined.IsRefused(out var alreadyFinal)) return alreadyFinal;
        var change = determined.Value;

        var now = clock.GetUtcNow();
        if (await review.ClaimAsync(row.Id, now, cancellationToken) is { } held && !ReviewStore.IsHolder(held, caller.Actor))
            return CaseRefusals.Held(held);

        var revision = await store.RevisionAsync(row.Id, row.Revision, cancellationToken)
            ?? throw new InvalidOperationException($"revision {row.Revision} of {row.Id} is missing");
        var engine = JsonSerializer.Deserialize<Decision>(revision.DecisionJson, MgAuthJson.Compact)!;
        if (CaseRules.IncompleteRefusal(request.Action, engine.IsIncomplete ? engine.MissingDocumentation : null) is { } incomplete) return incomplete;
        var policy = versions.Policy(revision.PolicySha256) ?? rules.Current.Policies.Find(revision.PolicyId)
            ?? throw new InvalidOperationException($"policy {revision.PolicyId} of {row.Id} is not stored");
        var determination = Determination(request, engine, policy, caller, (int)row.Revision, now);
        var authorized = Authorized(request, engine, revision, policy);
        var write = new DeterminationWrite
        {
            AuthorizationId = row.Id,
            ExpectedVersion = seenVersion,
            Revision = row.Revision,
            Action = request.Action,
            FromStatus = change.From,
            ToStatus = change.To,
            Decision = change.Outcome,
            DecidedAt = change.IsFinal ? now : null,
            ValidFrom = authorized?.ValidFrom,
            ValidThrough = authorized?.ValidThrough,
            InformationRequestedAt = change.IsFinal ? null : now,
            DeterminationJson = JsonSerializer.Serialize(determination, MgAuthJson.Compact),
            AuthorizedJson = authorized is null ? null : JsonSerializer.Serialize(authorized, MgAuthJson.Compact),
            Reviewer = caller.Actor,
            ReviewerNpi = determination.Reviewer.Npi,
            DeterminedAt = now,
            EventKind = change.IsFinal ? CaseEventKind.Determined : CaseEventKind.InformationRequested,
            EventDetail = change.IsFinal
                ? $"{ContractNames.Of(request.Action)}{(request.ReasonCode is null ? "" : " " + request.ReasonCode)}; engine recommended {ContractNames.Of(engine.Outcome)}"
                : $"the provider is asked for: {string.Join(", ", request.MissingDocumentation!)}",
        };
        // The determination and, when it is a new result for the provider's EHR, its PAS notifications: one transaction.
        var notifications = SubscriptionStore.NotificationsOf(write.AuthorizationId, write.DeterminedAt, write.EventKind, write.FromStatus, write.ToStatus);
        if ((await review.DetermineAsync(write, notifications, cancellationToken)).IsRefused(out var conflict)) return conflict;
        telemetry.Decided(MgAuthTelemetry.Determination, new DecisionLabels(
            ContractNames.Of(change.IsFinal ? write.Decision : Outcome.Review), ContractNames.Of(write.ToStatus), revision.PolicyId, revision.PolicyVersion));
        var updated = await store.FindAsync(row.Id, cancellationToken);
        return new DeterminedCase((await cases.CurrentAsync(updated!, cancellationToken))!, updated!.Version);
    }

    /// <summary>
    /// Whether the caller's role may take this action on this case (§1: only a clinician denies or modifies on
    /// medical necessity; an appeal goes to a clinician who did not make the appealed determination).
    /// </summary>
    public async Task<Refusal?> RefusalAsync(AuthorizationRow row, DeterminationAction action, Caller caller,
        CancellationToken cancellationToken = default)
    {
        var links = await review.LinksAsync(row.Id, cancellationToken);
        var appealed = links.AppealOf is null ? null : await review.LatestDeterminationAsync(links.AppealOf, cancellationToken);
        return CaseRules.DeterminationRefusal(action, caller, links.AppealOf is not null, appealed);
    }

    /// <summary>Opens an appeal of a decided case: a new pended case for a clinician, carrying the engine's recommendation.</summary>
    public async Task<Refusable<CaseDecision>> AppealAsync(AuthorizationRow row, AppealBody body, Caller caller,
        CancellationToken cancellationToken = default)
    {
        var @case = new Case(row);
        var determination = @case.IsPended ? null : await review.LatestDeterminationAsync(row.Id, cancellationToken);
        if (@case.AppealRefusal(determination?.Action) is { } cannot) return cannot;
        var now = clock.GetUtcNow();
        if (CaseRules.AppealWindowRefusal(row.DecidedAt ?? row.ReceivedAt, now, Options.AppealWithinDays) is { } closed) return closed;

        var revision = await store.RevisionAsync(row.Id, row.Revision, cancellationToken)
            ?? throw new InvalidOperationException($"revision {row.Revision} of {row.Id} is missing");
        var engine = JsonSerializer.Deserialize<Decision>(revision.DecisionJson, MgAuthJson.Compact)!;
        var urgency = body.Urgency is null ? row.Urgency
            : ContractNames.TryParse<Urgency>(body.Urgency, out var asked) ? asked : Urgency.Standard;
        var appeal = @case.Appealed(determination?.Action, AuthorizationService.NewId(now), now, urgency, engine.Outcome,
            AuthorizationService.DueBy(now, engine with { Urgency = urgency })).Value.Row;
        var filed = await review.AppealAsync(new AppealWrite(appeal, row.Id, row.Version, row.Status, revision with { Revision = 1 }, caller.Actor,
            body.Reason!.Trim()), cancellationToken);
        if (filed.IsRefused(out var conflict))
            return conflict.Kind == RefusalKind.StaleVersion ? CaseRefusals.Changed("the appeal was filed", "resend the appeal") : conflict;
        return (await cases.CurrentAsync(appeal, cancellationToken))!;
    }

    /// <summary>The notice of a final decision, written from the decision as the caller may read it; a pended case has none yet.</summary>
    public async Task<Refusable<Notice>> NoticeAsync(AuthorizationRow row, Caller caller, CancellationToken cancellationToken = default)
    {
        if (new Case(row).NoticeRefusal is { } notFinal) return notFinal;
        var decision = await cases.CurrentAsync(row, cancellationToken);
        var revision = await store.RevisionAsync(row.Id, row.Revision, cancellationToken);
        if (decision is null || revision is null) throw new InvalidOperationException($"revision {row.Revision} of {row.Id} is missing");
        decision = ProviderView.For(caller, decision);
        var request = RequestReader.Read(revision.RequestJson, decision.Decision.AsOf).Request
            ?? throw new InvalidOperationException("the stored request no longer reads as valid");
        var policy = versions.Policy(revision.PolicySha256) ?? rules.Current.Policies.Find(revision.PolicyId);
        return Notice.Of(decision, request, policy, row.DecidedAt ?? row.ReceivedAt, Options.AppealWithinDays);
    }

    private static Determination Determination(DeterminationRequest request, Decision engine, Policy policy, Caller caller, int revision,
        DateTimeOffset now)
    {
        var found = engine.Reasons.FirstOrDefault(r => r.Code == request.ReasonCode);
        var text = request.ReasonCode is not null && policy.Reasons.TryGetValue(request.ReasonCode, out var t) ? t : null;
        return new Determination
        {
            Action = request.Action,
            ReasonCode = request.ReasonCode,
            PolicyRef = found?.PolicyRef ?? text?.PolicyRef,
            Evidence = found?.Evidence ?? text?.Evidence,
            ReasonMessage = found?.Message,
            ReasonNamesAnotherOrganization = found?.NamesAnotherOrganization == true,
            Rationale = request.Rationale,
            ModifiedRegimen = request.ModifiedRegimen,
            MissingDocumentation = request.MissingDocumentation,
            Reviewer = new Reviewer(caller.KeyId, caller.Role, caller.Npi) { Person = caller.Person },
            WasHumanReviewed = true,
            EngineRecommendation = engine.Outcome,
            Revision = revision,
            DeterminedAt = now,
        };
    }

    private static AuthorizedRegimen? Authorized(DeterminationRequest request, Decision engine, RevisionRecord revision, Policy policy)
    {
        if (request.Action is not (DeterminationAction.Approve or DeterminationAction.ApproveModified)) return null;
        var indication = engine.Indication ?? throw new InvalidOperationException("an incomplete request is not approved");
        if (request.Action == DeterminationAction.ApproveModified) return AuthorizedPeriod.Of(indication, request.ModifiedRegimen!, policy);
        var read = RequestReader.Read(revision.RequestJson, engine.AsOf);
        return read.Request is null
            ? throw new InvalidOperationException("the stored request no longer reads as valid")
            : AuthorizedPeriod.Of(indication, read.Request.Regimen, policy);
    }
}
