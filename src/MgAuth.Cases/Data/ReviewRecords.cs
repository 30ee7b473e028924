namespace MgAuth.Cases.Data;

/// <summary>A reviewer holding a case so that others do not work it at the same time; it lapses at <see cref="ExpiresAt"/>.</summary>
public sealed record ClaimRecord(string AuthorizationId, string ClaimedBy, string ClaimedRole, string ClaimedAt, string ExpiresAt);

/// <summary>A pended case as the queue reads it: the row, the engine's decision of its current revision, and who holds it.</summary>
public sealed record QueueRow(
    string Id,
    string MemberId,
    string Indication,
    string Urgency,
    string Decision,
    long Version,
    string ReceivedAt,
    string DueBy,
    string? AppealOf,
    string DecisionJson,
    string? ClaimedBy,
    string? ClaimedRole,
    string? ClaimExpiresAt);

public sealed record QueueFilter(string? Recommendation, string? Indication, string? Urgency, bool? Overdue, int Page, int PageSize);

/// <summary>A person's determination as stored: the case's status before and after, and the determination itself as JSON.</summary>
public sealed record DeterminationRecord(
    long Id,
    string AuthorizationId,
    long Revision,
    string Action,
    string FromStatus,
    string ToStatus,
    string DeterminationJson,
    string? AuthorizedJson,
    string ReviewerKeyId,
    string ReviewerRole,
    string? ReviewerNpi,
    string DeterminedAt);

/// <summary>How a determination changes the case's row; <see cref="ExpectedVersion"/> is the version the reviewer saw.</summary>
public sealed record DeterminationWrite(
    string AuthorizationId,
    long ExpectedVersion,
    long Revision,
    string Action,
    string FromStatus,
    string ToStatus,
    string Decision,
    string? DecidedAt,
    string? ValidFrom,
    string? ValidThrough,
    string? InformationRequestedAt,
    string DeterminationJson,
    string? AuthorizedJson,
    Actor Reviewer,
    string? ReviewerNpi,
    string DeterminedAt,
    string EventKind,
    string EventDetail);

/// <summary>A new case appealing <see cref="AppealOf"/>: its row, its first revision (the appealed decision, carried), who filed it.</summary>
public sealed record AppealWrite(AuthorizationRow Row, string AppealOf, long AppealedVersion, string AppealedStatus, RevisionRecord Revision,
    Actor Actor, string Reason);

/// <summary>The cases a case is linked to by appeal, and whether it waits for the provider's documentation.</summary>
public sealed record CaseLinks(string? AppealOf, IReadOnlyList<string> Appeals, string? InformationRequestedAt);

/// <summary>Thrown when another person holds an unexpired claim on the case.</summary>
public sealed class ClaimHeldException(ClaimRecord claim) : Exception($"The case is claimed by {claim.ClaimedBy} until {claim.ExpiresAt}.")
{
    public ClaimRecord Claim { get; } = claim;
}

/// <summary>Thrown when a case already has an appeal.</summary>
public sealed class AlreadyAppealedException(string appealId) : Exception($"The case is already appealed in {appealId}.")
{
    public string AppealId { get; } = appealId;
}

/// <summary>Thrown when a case is no longer pended (decided meanwhile) and so cannot be worked.</summary>
public sealed class NotPendedException(string status) : Exception($"The case is {status}.")
{
    public string Status { get; } = status;
}
