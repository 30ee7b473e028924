namespace MgAuth.Cases.Data;

/// <summary>Who did something: a key's id (never a person's name or member data) and its role.</summary>
public sealed record Actor(string Id, string Role);

/// <summary>One decision of a case: the request as received (or merged), and everything that decided it.</summary>
public sealed record RevisionRecord(
    long Revision,
    string RequestJson,
    string DecisionJson,
    string HistoryJson,
    string PackSha256,
    string PackVersion,
    string PolicyId,
    string PolicyVersion,
    string PolicySha256,
    string AsOf,
    string EngineVersion,
    string DecidedAt);

/// <summary>The case as it stands: the row the queue and the lists read.</summary>
public sealed record AuthorizationRow(
    string Id,
    string OrganizationId,
    string MemberId,
    string Indication,
    string Urgency,
    string Status,
    string Decision,
    long Revision,
    long Version,
    string ReceivedAt,
    string DueBy,
    string? DecidedAt,
    string? ValidFrom,
    string? ValidThrough,
    string? IdempotencyKey,
    string RequestSha256);

public sealed record NewAuthorization(AuthorizationRow Row, RevisionRecord Revision, Actor Actor)
{
    /// <summary>The PAS request Bundle the request arrived in (Claim/$submit), stored with the case; null for JSON.</summary>
    public PasBundle? PasBundle { get; init; }
}

public sealed record AuthorizationEvent(long Id, string AuthorizationId, string At, string Actor, string ActorRole, string Kind,
    string? FromStatus, string? ToStatus, string? Detail);

public sealed record Paged<T>(IReadOnlyList<T> Items, int Page, int PageSize, long Total);

/// <summary>Thrown when a write finds the idempotency key already used in the organization.</summary>
public sealed class DuplicateIdempotencyKeyException() : Exception("The idempotency key is already used.");

/// <summary>Thrown when the case changed since it was read (optimistic concurrency).</summary>
public sealed class StaleVersionException() : Exception("The case changed since it was read.");
