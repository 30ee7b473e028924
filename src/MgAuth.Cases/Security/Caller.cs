using System.Security.Claims;
using MgAuth.Cases.Data;
using MgAuth.Domain.Decisions;

namespace MgAuth.Cases.Security;

/// <summary>
/// Who is acting: the person (issuer, subject, name), their organization, role and (for providers and clinicians) NPI,
/// whatever authenticated them. <see cref="KeyId"/> is the API key's id for a key (rate limits, key audit), the person's
/// subject for an access token.
/// </summary>
public sealed record Caller(string KeyId, string OrganizationId, string Role, string? Npi, Person Person)
{
    public const string OrganizationClaim = "mgauth:org";
    public const string NpiClaim = "mgauth:npi";
    public const string PersonIssuerClaim = "mgauth:person_iss";
    public const string PersonSubjectClaim = "mgauth:person_sub";
    public const string PersonNameClaim = "mgauth:person_name";

    public Actor Actor => new(KeyId, Role, Person);

    /// <summary>
    /// Whether the caller is a named person: anyone signed in through the identity provider, and a key issued with
    /// <c>--person</c>; a key that names nobody stands only for itself (its person is the key).
    /// </summary>
    public bool NamesPerson => !(Person.Issuer == Person.KeysIssuer && Person.Subject == KeyId);

    /// <summary>Plan staff see every organization's cases; a provider only its own.</summary>
    public bool MaySee(string organizationId) => Roles.SeesAllOrganizations(Role) || organizationId == OrganizationId;

    /// <summary>Whether this caller is <paramref name="other"/>: the same key, or the same person.</summary>
    public bool IsSamePersonAs(string otherKeyId, Person? other) => otherKeyId == KeyId || Person.IsSamePersonAs(other);

    public static Caller From(ClaimsPrincipal user)
    {
        var id = user.FindFirst(ClaimTypes.NameIdentifier)?.Value ?? throw new InvalidOperationException("no authenticated caller");
        var subject = user.FindFirst(PersonSubjectClaim)?.Value;
        return new(id,
            user.FindFirst(OrganizationClaim)!.Value,
            user.FindFirst(ClaimTypes.Role)!.Value,
            user.FindFirst(NpiClaim)?.Value,
            subject is null ? Person.OfKey(id)
                : new Person(user.FindFirst(PersonIssuerClaim)?.Value ?? Person.KeysIssuer, subject, user.FindFirst(PersonNameClaim)?.Value ?? subject));
    }
}
