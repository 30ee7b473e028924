using MgAuth.Cases.Data;
using MgAuth.Domain.Decisions;
using MgAuth.Domain.Policies;
using MgAuth.Domain.Requests;

namespace MgAuth.Cases.Workflow;

/// <summary>
/// A case and the changes its status allows (eShop's aggregate): decided by the engine on arrival and on every
/// supplement, worked by a person while pended (claimed, determined, asked for information), appealed once final.
/// Each transition answers the case as it becomes, or the refusal an illegal one gets; no other code sets a status.
/// </summary>
public sealed record Case(AuthorizationRow Row)
{
    public CaseStatus Status => Row.Status;

    public bool IsPended => Row.Status == CaseStatus.Pended;

    /// <summary>A new case as the engine decided it: its status is the decision's.</summary>
    public static Case Opened(string id, string organizationId, AuthorizationRequest request, Decision decision, DateTimeOffset receivedAt,
        DateTimeOffset dueBy, string? idempotencyKey, string requestSha256) =>
        Opened(id, organizationId, request.Member.Id, request.Indication, decision, receivedAt, dueBy, idempotencyKey, requestSha256);

    /// <summary>
    /// A new case for a PAS request missing facts the contract requires: no indication yet, its status the decision's
    /// (derived from the reason naming the fields, as every decision is).
    /// </summary>
    public static Case Opened(string id, string organizationId, IncompleteRequest request, Decision decision, DateTimeOffset receivedAt,
        DateTimeOffset dueBy, string? idempotencyKey, string requestSha256) =>
        Opened(id, organizationId, request.MemberId, null, decision, receivedAt, dueBy, idempotencyKey, requestSha256);

    private static Case Opened(string id, string organizationId, string memberId, Indication? indication, Decision decision,
        DateTimeOffset receivedAt, DateTimeOffset dueBy, string? idempotencyKey, string requestSha256) =>
        new(new AuthorizationRow
        {
            Id = id,
            OrganizationId = organizationId,
            MemberId = memberId,
            Indication = indication,
            Urgency = decision.Urgency,
            Status = decision.Status,
            Decision = decision.Outcome,
            Revision = 1,
            Version = 1,
            ReceivedAt = receivedAt,
            DueBy = dueBy,
            DecidedAt = decision.IsFinal ? receivedAt : null,
            ValidFrom = decision.Authorized?.ValidFrom,
            ValidThrough = decision.Authorized?.ValidThrough,
            IdempotencyKey = idempotencyKey,
            RequestSha256 = requestSha256,
        });

    /// <summary>Why the case takes no supplement: only a pended one does.</summary>
    public Refusal? SupplementRefusal => IsPended ? null
        : new Refusal(RefusalKind.NotPended, "Only a pended case takes supplements",
            $"This case is {ContractNames.Of(Status)}; an appeal or a new request is the way forward.");

    /// <summary>The provider's documentation merged in and the case decided again: its status is the new decision's.</summary>
    public Refusable<Case> Supplemented(AuthorizationRequest request, Decision decision, DateTimeOffset dueBy, DateTimeOffset now)
    {
        if (SupplementRefusal is { } refused) return refused;
        return new Case(Row with
        {
            MemberId = request.Member.Id,
            Indication = request.Indication,
            Urgency = decision.Urgency,
            Status = decision.Status,
            Decision = decision.Outcome,
            Revision = Row.Revision + 1,
            DueBy = dueBy,
            DecidedAt = decision.IsFinal ? now : null,
            ValidFrom = decision.Authorized?.ValidFrom,
            ValidThrough = decision.Authorized?.ValidThrough,
        });
    }

    /// <summary>Why a person cannot take the case up (claim it): only a pended case is worked.</summary>
    public Refusal? ClaimRefusal => IsPended ? null : NotPended(Status);

    /// <summary>A person's determination: approved (as asked or modified), denied, or still pended waiting for the provider.</summary>
    public Refusable<Determined> Determine(DeterminationAction action)
    {
        if (!IsPended)
            return new Refusal(RefusalKind.AlreadyFinal, "The case is already decided",
                $"This case is {ContractNames.Of(Status)}; a final decision is not determined again. The provider may appeal it.");
        var to = StatusAfter(action);
        var final = to != CaseStatus.Pended;
        return new Determined(Status, to, final ? (to == CaseStatus.Denied ? Outcome.Deny : Outcome.Approve) : Row.Decision, final);
    }

    /// <summary>The status a determination leaves the case in.</summary>
    public static CaseStatus StatusAfter(DeterminationAction action) => action switch
    {
        DeterminationAction.Deny => CaseStatus.Denied,
        DeterminationAction.RequestInformation => CaseStatus.Pended,
        _ => CaseStatus.Approved,
    };

    /// <summary>
    /// An appeal of this final case: a new pended case carrying the engine's recommendation. Only a denial or a modified
    /// approval (<paramref name="lastDetermination"/>) is appealed.
    /// </summary>
    public Refusable<Case> Appealed(DeterminationAction? lastDetermination, string id, DateTimeOffset now, Urgency urgency, Outcome engine,
        DateTimeOffset dueBy)
    {
        if (AppealRefusal(lastDetermination) is { } refused) return refused;
        return new Case(Row with
        {
            Id = id,
            Urgency = urgency,
            Status = CaseStatus.Pended,
            Decision = engine,
            Revision = 1,
            Version = 1,
            ReceivedAt = now,
            DueBy = dueBy,
            DecidedAt = null,
            ValidFrom = null,
            ValidThrough = null,
            IdempotencyKey = null,
        });
    }

    /// <summary>Why the case cannot be appealed: it is still pended, or it was approved as asked.</summary>
    public Refusal? AppealRefusal(DeterminationAction? lastDetermination)
    {
        if (IsPended)
            return new Refusal(RefusalKind.NotFinal, "The case is not decided yet",
                "A pended case is still being decided: send missing documentation as a supplement instead.");
        if (Status == CaseStatus.Approved && lastDetermination != DeterminationAction.ApproveModified)
            return new Refusal(RefusalKind.NothingToAppeal, "The request was approved as asked", "Only a denial or a modified approval can be appealed.");
        return null;
    }

    /// <summary>Why the case has no notice yet: a notice is written of a final decision.</summary>
    public Refusal? NoticeRefusal => IsPended
        ? new Refusal(RefusalKind.NotFinal, "The case is not decided yet",
            "A notice is written when the case is approved or denied; this one is still pended.")
        : null;

    /// <summary>
    /// The engine's decision as the case stands now: a person's determination laid over it (with its X12 review action),
    /// or, for a case pended again though the engine's decision was final, pended.
    /// </summary>
    public Decision Current(Decision engine, Determination? determination, AuthorizedRegimen? authorized)
    {
        if (determination is not null)
        {
            var status = StatusAfter(determination.Action);
            return status switch
            {
                CaseStatus.Approved => engine with
                {
                    Outcome = Outcome.Approve,
                    Status = status,
                    DenialKind = null,
                    X12ReviewAction = ReviewAction.Of(status, lessThanAsked: determination.Action == DeterminationAction.ApproveModified
                        || authorized is null || engine.Requested is null || authorized.ValidThrough < engine.Requested.PeriodEnd),
                    Authorized = authorized,
                    ApprovableAlternative = null,
                },
                CaseStatus.Denied => engine with
                {
                    Outcome = Outcome.Deny,
                    Status = status,
                    DenialKind = DenialKind.MedicalNecessity,
                    X12ReviewAction = ReviewAction.Of(status, lessThanAsked: false),
                    Authorized = null,
                },
                _ => engine with
                {
                    Status = status,
                    X12ReviewAction = ReviewAction.Of(status, lessThanAsked: false),
                    MissingDocumentation = engine.MissingDocumentation.Union(determination.MissingDocumentation ?? []).ToArray(),
                },
            };
        }
        if (IsPended && engine.Status != CaseStatus.Pended)
            return engine with { Status = CaseStatus.Pended, X12ReviewAction = ReviewAction.Of(CaseStatus.Pended, lessThanAsked: false) };
        return engine;
    }

    /// <summary>The refusal of work on a case that is not (or no longer) pended; a null status: the case is gone.</summary>
    public static Refusal NotPended(CaseStatus? status) =>
        new(RefusalKind.NotPended, "Only a pended case can be worked", $"This case is {(status is { } s ? ContractNames.Of(s) : "gone")}.");
}

/// <summary>A determination's change of the case: the status before and after, the outcome it records, and whether it is final.</summary>
public sealed record Determined(CaseStatus From, CaseStatus To, Outcome Outcome, bool IsFinal);
