using System.Text.Json;
using MgAuth.Cases.Workflow;
using MgAuth.Domain.Decisions;
using MgAuth.Domain.Facts;
using MgAuth.Domain.Requests;

namespace MgAuth.Cases.Data;

/// <summary>
/// Who did something: a key's id (an access token's subject), its role, and the person acting (null for the engine, the
/// command line and rows recorded before persons were: then the key stands for its person). Never member data.
/// </summary>
public sealed record Actor(string Id, string Role, Person? Person = null)
{
    /// <summary>The person acting, or the key standing for them.</summary>
    public Person Who => Person ?? Person.OfKey(Id);
}

/// <summary>One decision of a case: the request as received (or merged), and everything that decided it.</summary>
public sealed record RevisionRecord
{
    public long Revision { get; init; }
    public required string RequestJson { get; init; }
    public required string DecisionJson { get; init; }
    public required string HistoryJson { get; init; }
    public required string PackSha256 { get; init; }
    public required string PackVersion { get; init; }
    public required string PolicyId { get; init; }
    public required string PolicyVersion { get; init; }
    public required string PolicySha256 { get; init; }
    public DateOnly AsOf { get; init; }
    public required string EngineVersion { get; init; }
    public DateTimeOffset DecidedAt { get; init; }

    /// <summary>The member's approvals the decision was made on, as stored (<see cref="HistoryJson"/>).</summary>
    public IReadOnlyList<PlanApproval> History() => JsonSerializer.Deserialize<PlanApproval[]>(HistoryJson, MgAuthJson.Compact) ?? [];
}

/// <summary>The case as it stands: the row the queue and the lists read.</summary>
public sealed record AuthorizationRow
{
    public required string Id { get; init; }
    public required string OrganizationId { get; init; }
    public required string MemberId { get; init; }

    /// <summary>The indication asked for; null while the request leaves it out (a PAS request pended for missing facts).</summary>
    public Indication? Indication { get; init; }
    public required Urgency Urgency { get; init; }
    public required CaseStatus Status { get; init; }
    public required Outcome Decision { get; init; }
    public long Revision { get; init; }
    public long Version { get; init; }
    public DateTimeOffset ReceivedAt { get; init; }
    public DateTimeOffset DueBy { get; init; }
    public DateTimeOffset? DecidedAt { get; init; }
    public DateOnly? ValidFrom { get; init; }
    public DateOnly? ValidThrough { get; init; }
    public string? IdempotencyKey { get; init; }
    public required string RequestSha256 { get; init; }
}

public sealed record NewAuthorization(AuthorizationRow Row, RevisionRecord Revision, Actor Actor)
{
    /// <summary>The PAS request Bundle the request arrived in (Claim/$submit), stored with the case; null for JSON.</summary>
    public PasBundle? PasBundle { get; init; }
}

/// <summary>The first answer to an Idempotency-Key: the SHA-256 of the request it went with and the decision stored then.</summary>
public sealed record FirstAnswer
{
    public required string RequestSha256 { get; init; }
    public required string DecisionJson { get; init; }
}

/// <summary>
/// What a decision finds stored before it: the first answer to its Idempotency-Key when the key was used (then nothing
/// else is read), else the member's approved authorizations, another organization's counted but not named.
/// </summary>
public sealed record Prior(FirstAnswer? Earlier, IReadOnlyList<PlanApproval> History);

public sealed record AuthorizationEvent
{
    public long Id { get; init; }
    public required string AuthorizationId { get; init; }
    public DateTimeOffset At { get; init; }
    public required string Actor { get; init; }
    public required string ActorRole { get; init; }
    public required CaseEventKind Kind { get; init; }
    public CaseStatus? FromStatus { get; init; }
    public CaseStatus? ToStatus { get; init; }
    public string? Detail { get; init; }
    public string? ActorIssuer { get; init; }
    public string? ActorSubject { get; init; }
    public string? ActorName { get; init; }
    public string? ActorKeyName { get; init; }

    /// <summary>Who acted, as a person (an event recorded before persons were: its key, by the key's name if known).</summary>
    public Person Person => Person.Stored(ActorIssuer, ActorSubject, ActorName, Actor, ActorKeyName);
}

public sealed record Paged<T>(IReadOnlyList<T> Items, int Page, int PageSize, long Total);
