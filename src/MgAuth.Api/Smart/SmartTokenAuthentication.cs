using System.Security.Claims;
using System.Text.Encodings.Web;
using MgAuth.Cases.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Validation.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace MgAuth.Api.Smart;

/// <summary>
/// <c>Authorization: Bearer &lt;access token&gt;</c> from this service's token server: OpenIddict's validation checks it
/// (signature, issuer, audience, lifetime) and this handler turns its claims into MgAuth's (the shared identity
/// contract): the client as the person (issuer = this server, subject = the client id, name = its registered name), its
/// role, organization and NPI, and its granted scopes as <c>scope</c> claims for <see cref="SmartScopeRules"/>. A staff
/// person's token from the embedded development provider reads the same way (the person, their role), with the
/// authentication type <see cref="StaffTokenType"/>, which the scope rules leave alone.
/// </summary>
public sealed class SmartTokenAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "SmartToken";
    public const string ScopeClaim = "scope";

    /// <summary>The authentication type of a staff person's token (from the embedded provider), told apart from a system's.</summary>
    public const string StaffTokenType = "StaffToken";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var result = await Context.AuthenticateAsync(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme);
        if (!result.Succeeded) return result.None ? AuthenticateResult.NoResult() : AuthenticateResult.Fail("invalid access token");
        var token = result.Principal;
        var role = token.GetClaim(TokenClaims.Role);
        var organization = token.GetClaim(TokenClaims.Organization);
        var subject = token.GetClaim(Claims.Subject);
        if (role is null || !Roles.All.Contains(role) || organization is null || subject is null)
            return AuthenticateResult.Fail("the access token does not name a role, an organization and a subject");
        var npi = token.GetClaim(TokenClaims.Npi);
        // A person's token from the embedded development provider (presented by the console, never by a SMART client,
        // whose ids are smart_…) is no system's: it keeps the person's role and is not held to SMART scopes.
        var staff = token.GetClaim(Claims.ClientId) == DevIdentity.ConsoleClient.Id;
        Claim[] claims =
        [
            new(ClaimTypes.NameIdentifier, subject),
            new(ClaimTypes.Role, role),
            new(Caller.OrganizationClaim, organization),
            .. npi is null ? Array.Empty<Claim>() : [new Claim(Caller.NpiClaim, npi)],
            new(Caller.PersonIssuerClaim, token.GetClaim(Claims.Issuer) ?? ""),
            new(Caller.PersonSubjectClaim, subject),
            new(Caller.PersonNameClaim, token.GetClaim(TokenClaims.Name) ?? subject),
            .. token.GetScopes().Select(scope => new Claim(ScopeClaim, scope)),
        ];
        var identity = new ClaimsIdentity(claims, staff ? StaffTokenType : SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    /// <summary>A bearer that is a JWT (three dot-separated parts), not an MgAuth API key.</summary>
    public static bool Carries(HttpRequest request) =>
        Security.ApiKeyAuthenticationHandler.SecretOf(request) is { } bearer
        && !bearer.StartsWith(ApiKeyFormat.Prefix, StringComparison.Ordinal)
        && bearer.Count(c => c == '.') == 2;
}

/// <summary>The claim names of the access tokens this server issues (the shared contract's defaults: roles, org, npi, name).</summary>
public static class TokenClaims
{
    public const string Role = "roles";
    public const string Organization = "org";
    public const string Npi = "npi";
    public const string Name = "name";
}
