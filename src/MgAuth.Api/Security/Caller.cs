using System.Security.Claims;
using MgAuth.Cases.Data;
using MgAuth.Cases.Security;

namespace MgAuth.Api.Security;

/// <summary>The API key behind a request: its id, organization, role and (for providers) NPI.</summary>
public sealed record Caller(string KeyId, string OrganizationId, string Role, string? Npi)
{
    public const string OrganizationClaim = "mgauth:org";
    public const string NpiClaim = "mgauth:npi";

    public Actor Actor => new(KeyId, Role);

    /// <summary>The caller as the review rules ask who is acting.</summary>
    public MgAuth.Cases.Review.Asker Asker => new(KeyId, Role, Npi);

    /// <summary>Plan staff see every organization's cases; a provider only its own.</summary>
    public bool MaySee(string organizationId) => Roles.SeesAllOrganizations(Role) || organizationId == OrganizationId;

    public static Caller From(ClaimsPrincipal user) => new(
        user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("no authenticated caller"),
        user.FindFirstValue(OrganizationClaim)!,
        user.FindFirstValue(ClaimTypes.Role)!,
        user.FindFirstValue(NpiClaim));
}
