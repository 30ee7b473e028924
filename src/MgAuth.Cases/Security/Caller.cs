using System.Security.Claims;
using MgAuth.Cases.Data;

namespace MgAuth.Cases.Security;

/// <summary>The person acting on a case: the API key behind the request, its organization, role and (for providers) NPI.</summary>
public sealed record Caller(string KeyId, string OrganizationId, string Role, string? Npi)
{
    public const string OrganizationClaim = "mgauth:org";
    public const string NpiClaim = "mgauth:npi";
    public const string PersonIssuerClaim = "mgauth:person_iss";
    public const string PersonSubjectClaim = "mgauth:person_sub";
    public const string PersonNameClaim = "mgauth:person_name";

    public Actor Actor => new(KeyId, Role);

    /// <summary>Plan staff see every organization's cases; a provider only its own.</summary>
    public bool MaySee(string organizationId) => Roles.SeesAllOrganizations(Role) || organizationId == OrganizationId;

    public static Caller From(ClaimsPrincipal user) => new(
        user.FindFirst(ClaimTypes.NameIdentifier)?.Value ?? throw new InvalidOperationException("no authenticated caller"),
        user.FindFirst(OrganizationClaim)!.Value,
        user.FindFirst(ClaimTypes.Role)!.Value,
        user.FindFirst(NpiClaim)?.Value);
}
