using Hl7.Fhir.Model;

namespace MgAuth.Fhir;

/// <summary>
/// A PAS Claim update (the guide's profile-claim-update): a Claim whose <c>related</c> entry, relationship
/// <c>prior</c>, names the Claim it updates — by <c>related.claim.identifier</c> (the first Claim's identifier, as the
/// EHR gave it), or by a <c>related.claim.reference</c> or <c>related.reference</c> whose value is that identifier or
/// the preAuthRef MgAuth answered.
/// </summary>
public static class ClaimUpdate
{
    /// <summary>The relationship the update profile fixes (ex-relatedclaimrelationship#prior).</summary>
    public const string Prior = "prior";

    private const string RelationshipSystem = "http://terminology.hl7.org/CodeSystem/ex-relatedclaimrelationship";

    /// <summary>The identifiers the Claim's prior relations name (system null when only a value is known); empty for a new request.</summary>
    public static IReadOnlyList<Identifier> PriorOf(Claim? claim)
    {
        if (claim is null) return [];
        var named = new List<Identifier>();
        foreach (var related in claim.Related)
        {
            if (related.Relationship?.Coding.Any(c => c.Code == Prior && (c.System is null || c.System == RelationshipSystem)) != true) continue;
            if (related.Claim?.Identifier is { Value.Length: > 0 } identifier) named.Add(identifier);
            if (related.Claim?.Reference is { Length: > 0 } reference) named.Add(new Identifier(null, reference[(reference.LastIndexOf('/') + 1)..]));
            if (related.Reference is { Value.Length: > 0 } number) named.Add(number);
        }
        return named;
    }
}
