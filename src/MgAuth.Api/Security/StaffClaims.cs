using System.Security.Claims;
using MgAuth.Domain.Decisions;

namespace MgAuth.Api.Security;

/// <summary>
/// The identity provider's claims as MgAuth's (the shared identity contract): exactly one MgAuth role among the roles
/// claim's values, the organization (required for providers), the NPI, and the person — the token's issuer and subject,
/// and the display name. Whatever does not fit is refused with the reason, never guessed.
/// </summary>
public static class StaffClaims
{
    /// <summary>MgAuth's principal for the provider's <paramref name="claims"/>, or why there is none.</summary>
    public static (ClaimsPrincipal? Principal, string? Refusal) Map(IEnumerable<Claim> claims, string issuer, StaffOptions options, string scheme)
    {
        var all = claims.ToArray();
        string? Value(string type) => all.FirstOrDefault(c => c.Type == type && !string.IsNullOrWhiteSpace(c.Value))?.Value.Trim();

        var subject = Value("sub");
        if (subject is null) return (null, "The token names no subject (sub).");
        var names = options.Claims;
        // An array arrives as one claim per value; a string may hold several, space-separated (as OAuth scopes do).
        var roles = all.Where(c => c.Type == names.Roles)
            .SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Where(Cases.Security.Roles.All.Contains).Distinct(StringComparer.Ordinal).ToArray();
        if (roles.Length == 0)
            return (null, $"The token carries no MgAuth role in its '{names.Roles}' claim (one of {string.Join(", ", Cases.Security.Roles.All)}).");
        if (roles.Length > 1)
            return (null, $"The token carries several MgAuth roles ({string.Join(", ", roles)}) in its '{names.Roles}' claim: a person acts in "
                + "one role at a time, so the identity provider gives each person one.");
        var role = roles[0];
        var organization = Value(names.Organization);
        if (organization is null && role == Cases.Security.Roles.Provider)
            return (null, $"A provider's token names its organization in its '{names.Organization}' claim; this one does not.");
        var npi = Value(names.Npi);
        var name = Value(names.Name) ?? Value("preferred_username") ?? Value("email") ?? subject;

        Claim[] mapped =
        [
            new(ClaimTypes.NameIdentifier, subject),
            new(ClaimTypes.Role, role),
            new(Caller.OrganizationClaim, organization ?? options.Organization),
            .. npi is null ? Array.Empty<Claim>() : [new Claim(Caller.NpiClaim, npi)],
            new(Caller.PersonIssuerClaim, issuer),
            new(Caller.PersonSubjectClaim, subject),
            new(Caller.PersonNameClaim, name),
        ];
        return (new ClaimsPrincipal(new ClaimsIdentity(mapped, scheme, Caller.PersonNameClaim, ClaimTypes.Role)), null);
    }

    /// <summary>The person a principal mapped here stands for.</summary>
    public static Person? PersonOf(ClaimsPrincipal principal) =>
        principal.FindFirst(Caller.PersonSubjectClaim)?.Value is { } subject
            ? new Person(principal.FindFirst(Caller.PersonIssuerClaim)!.Value, subject, principal.FindFirst(Caller.PersonNameClaim)!.Value)
            : null;
}
