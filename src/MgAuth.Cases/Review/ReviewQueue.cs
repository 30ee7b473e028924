using System.Text.Json;
using MgAuth.Cases.Data;
using MgAuth.Cases.Security;
using MgAuth.Cases.Workflow;
using MgAuth.Domain.Decisions;
using MgAuth.Domain.Policies;
using MgAuth.Domain.Requests;

namespace MgAuth.Cases.Review;

/// <summary>A reason that pended the case: what the engine found, in its words, and the policy row it rests on.</summary>
public sealed record PendingReason(string Code, ReasonEffect Effect, string Message, string PolicyRef);

/// <summary>One pended case in the queue.</summary>
public sealed record QueueItem(
    string AuthorizationId,
    string MemberId,
    Indication? Indication,
    Urgency Urgency,
    Outcome Recommendation,
    DateTimeOffset ReceivedAt,
    DateTimeOffset DueBy,
    double HoursLeft,
    bool Overdue,
    bool NeedsClinician,
    string? AppealOf,
    IReadOnlyList<PendingReason> Reasons,
    IReadOnlyList<string> MissingDocumentation,
    string? ClaimedBy,
    string? ClaimedByRole,
    DateTimeOffset? ClaimExpiresAt,
    bool ClaimedByYou,
    CaseClock Clock)
{
    /// <summary>The person holding the case (shown by name); null when nobody does.</summary>
    public Person? ClaimedByPerson { get; init; }

    public static QueueItem Of(QueueRow row, DateTimeOffset now, Caller viewer)
    {
        var engine = JsonSerializer.Deserialize<Decision>(row.DecisionJson, MgAuthJson.Compact)!;
        return new QueueItem(row.Id, row.MemberId, row.Indication, row.Urgency, row.Decision, row.ReceivedAt, row.DueBy,
            Math.Round((row.DueBy - now).TotalHours, 1), row.DueBy < now,
            NeedsClinician: row.Decision == Outcome.Deny || row.AppealOf is not null,
            row.AppealOf,
            engine.Reasons.Where(r => r.Effect is ReasonEffect.Deny or ReasonEffect.Review)
                .Select(r => new PendingReason(r.Code, r.Effect, r.Message, r.PolicyRef)).ToArray(),
            engine.MissingDocumentation,
            row.ClaimedBy, row.ClaimedRole, row.ClaimExpiresAt, row.ClaimedBy is not null && viewer.IsSamePersonAs(row.ClaimedBy, row.ClaimedPerson),
            CaseClock.Of(row.DueBy, now)) { ClaimedByPerson = row.ClaimedPerson };
    }
}

/// <summary>Who is looking at the queue (the console shows their name, and what this role may do).</summary>
public sealed record QueueViewer(string KeyId, string Role)
{
    public string? Name { get; init; }
    public Person? Person { get; init; }
}

public sealed record ReviewQueue(IReadOnlyList<QueueItem> Items, int Page, int PageSize, long Total, DateTimeOffset AsOf, QueueViewer Viewer)
{
    /// <summary>The values each filter takes.</summary>
    public QueueFilterValues Filters => QueueFilterValues.All;
}

public sealed record ClaimView(string AuthorizationId, string ClaimedBy, string ClaimedByRole, DateTimeOffset ClaimedAt, DateTimeOffset ClaimExpiresAt)
{
    /// <summary>The person holding the case.</summary>
    public Person? ClaimedByPerson { get; init; }

    /// <summary>Whether the one asking holds it (the same person, with any key or a sign-in).</summary>
    public bool ClaimedByYou { get; init; }

    public static ClaimView Of(ClaimRecord c, Caller viewer) => new(c.AuthorizationId, c.ClaimedBy, c.ClaimedRole, c.ClaimedAt, c.ExpiresAt)
    {
        ClaimedByPerson = c.ClaimedPerson,
        ClaimedByYou = ReviewStore.IsHolder(c, viewer.Actor),
    };
}

/// <summary>One entry of a case's audit trail.</summary>
public sealed record HistoryEvent(long Seq, DateTimeOffset At, string Actor, string ActorRole, CaseEventKind Kind, CaseStatus? FromStatus,
    CaseStatus? ToStatus,
    string? Detail)
{
    /// <summary>Who acted, as a person: the name the history shows (the engine's own decisions: "engine").</summary>
    public Person? Person { get; init; }
}

public sealed record CaseHistory(string AuthorizationId, IReadOnlyList<HistoryEvent> Events)
{
    public static CaseHistory Of(string id, IReadOnlyList<AuthorizationEvent> events) => new(id, events
        .Select((e, i) => new HistoryEvent(i + 1, e.At, e.Actor, e.ActorRole, e.Kind,
            e.FromStatus, e.ToStatus, e.Detail) { Person = e.Person })
        .ToArray());
}
