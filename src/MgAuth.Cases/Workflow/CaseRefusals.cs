using MgAuth.Cases.Data;

namespace MgAuth.Cases.Workflow;

/// <summary>The refusals a change of a case gets when someone else got there first: the case changed, is held, or is appealed.</summary>
public static class CaseRefusals
{
    public static Refusal Held(ClaimRecord claim) =>
        new(RefusalKind.ClaimHeld, "Someone else is working this case",
            $"The case is claimed by {claim.ClaimedPerson.Name} ({claim.ClaimedRole}) until {claim.ExpiresAt:O}.");

    /// <param name="current">The version the case is at now, when known.</param>
    public static Refusal Stale(long? current) =>
        new(RefusalKind.StaleVersion, "The case changed since you read it",
            current is null
                ? "Someone else changed the case first. Read it again (GET /v1/authorizations/{id}) and decide on what it says now."
                : $"The case is at version {current} now. Read it again and send If-Match: \"{current}\".");

    public static Refusal AlreadyAppealed(string appealId) =>
        new(RefusalKind.AlreadyAppealed, "The case is already appealed", $"Its appeal is {appealId}.");

    /// <summary>The case changed while <paramref name="what"/> was done; <paramref name="again"/>: what to do.</summary>
    public static Refusal Changed(string what, string again) =>
        new(RefusalKind.CaseChanged, $"The case changed while {what}", $"Read the case again and {again}.");

    public static readonly Refusal IdempotencyKeyReused =
        new(RefusalKind.IdempotencyKeyReused, "The Idempotency-Key was used for another request",
            "The same key was sent before with a different body; use a new key for a new request.");
}
