using MgAuth.Cases.Workflow;
using MgAuth.Domain.Decisions;
using MgAuth.Domain.Requests;

namespace MgAuth.Cases.Data;

/// <summary>A reviewer holding a case so that others do not work it at the same time; it lapses at <see cref="ExpiresAt"/>.</summary>
public sealed record ClaimRecord
{
    public required string AuthorizationId { get; init; }
    public required string ClaimedBy { get; init; }
    public required string ClaimedRole { get; init; }
    public DateTimeOffset ClaimedAt { get; init; }
    public DateTimeOffset ExpiresAt { get; init; }
    public string? ClaimedIssuer { get; init; }
    public string? ClaimedSubject { get; init; }
    public string? ClaimedName { get; init; }

    /// <summary>Who holds it, as a person (a claim made before persons were: its key).</summary>
    public Person ClaimedPerson => Person.Stored(ClaimedIssuer, ClaimedSubject, ClaimedName, ClaimedBy);
}

/// <summary>A pended case as the queue reads it: the row, the engine's decision of its current revision, and who holds it.</summary>
public sealed record QueueRow
{
    public required string Id { get; init; }
    public required string MemberId { get; init; }

    /// <summary>The indication asked for; null while the request leaves it out.</summary>
    public Indication? Indication { get; init; }
    public required Urgency Urgency { get; init; }
    public required Outcome Decision { get; init; }
    public long Version { get; init; }
    public DateTimeOffset ReceivedAt { get; init; }
    public DateTimeOffset DueBy { get; init; }
    public string? AppealOf { get; init; }
    public required string DecisionJson { get; init; }
    public string? ClaimedBy { get; init; }
    public string? ClaimedRole { get; init; }
    public DateTimeOffset? ClaimExpiresAt { get; init; }
    public string? ClaimedIssuer { get; init; }
    public string? ClaimedSubject { get; init; }
    public string? ClaimedName { get; init; }

    /// <summary>Who holds it, as a person; null when nobody does.</summary>
    public Person? ClaimedPerson => ClaimedBy is null ? null : Person.Stored(ClaimedIssuer, ClaimedSubject, ClaimedName, ClaimedBy);
}

public sealed record QueueFilter(Outcome? Recommendation, Indication? Indication, Urgency? Urgency, bool? Overdue, int Page, int PageSize);

/// <summary>A person's determination as stored: the case's status before and after, and the determination itself as JSON.</summary>
public sealed record DeterminationRecord
{
    public long Id { get; init; }
    public required string AuthorizationId { get; init; }
    public long Revision { get; init; }
    public required DeterminationAction Action { get; init; }
    public required CaseStatus FromStatus { get; init; }
    public required CaseStatus ToStatus { get; init; }
    public required string DeterminationJson { get; init; }
    public string? AuthorizedJson { get; init; }
    public required string ReviewerKeyId { get; init; }
    public required string ReviewerRole { get; init; }
    public string? ReviewerNpi { get; init; }
    public DateTimeOffset DeterminedAt { get; init; }
    public string? ReviewerIssuer { get; init; }
    public string? ReviewerSubject { get; init; }
    public string? ReviewerName { get; init; }
    public string? ReviewerKeyName { get; init; }

    /// <summary>Who determined it, as a person (a determination recorded before persons were: its key, by the key's name if known).</summary>
    public Person ReviewerPerson => Person.Stored(ReviewerIssuer, ReviewerSubject, ReviewerName, ReviewerKeyId, ReviewerKeyName);
}

/// <summary>How a determination changes the case's row; <see cref="ExpectedVersion"/> is the version the reviewer saw.</summary>
public sealed record DeterminationWrite
{
    public required string AuthorizationId { get; init; }
    public long ExpectedVersion { get; init; }
    public long Revision { get; init; }
    public required DeterminationAction Action { get; init; }
    public required CaseStatus FromStatus { get; init; }
    public required CaseStatus ToStatus { get; init; }
    public required Outcome Decision { get; init; }
    /// <summary>Set by a final determination; null keeps the row's.</summary>
    public DateTimeOffset? DecidedAt { get; init; }
    public DateOnly? ValidFrom { get; init; }
    public DateOnly? ValidThrough { get; init; }
    /// <summary>Set when the provider is asked for documentation: the case waits for them, not for a reviewer.</summary>
    public DateTimeOffset? InformationRequestedAt { get; init; }
    public required string DeterminationJson { get; init; }
    public string? AuthorizedJson { get; init; }
    public required Actor Reviewer { get; init; }
    public string? ReviewerNpi { get; init; }
    public DateTimeOffset DeterminedAt { get; init; }
    public required CaseEventKind EventKind { get; init; }
    public required string EventDetail { get; init; }
}

/// <summary>A new case appealing <see cref="AppealOf"/>: its row, its first revision (the appealed decision, carried), who filed it.</summary>
public sealed record AppealWrite(AuthorizationRow Row, string AppealOf, long AppealedVersion, CaseStatus AppealedStatus, RevisionRecord Revision,
    Actor Actor, string Reason);

/// <summary>The cases a case is linked to by appeal, and whether it waits for the provider's documentation.</summary>
public sealed record CaseLinks(string? AppealOf, IReadOnlyList<string> Appeals, DateTimeOffset? InformationRequestedAt);
