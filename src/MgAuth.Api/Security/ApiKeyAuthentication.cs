using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace MgAuth.Api.Security;

/// <summary>
/// <c>Authorization: Bearer mga_…</c>. The key is hashed and looked up through <see cref="ApiKeyCache"/>, which
/// remembers good keys briefly and failures never. How often a client may fail is
/// <see cref="FailedAuthenticationLimit"/>'s concern.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyCache keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    private const string FailedItem = "mgauth:key-failed";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (SecretOf(Request) is not { } secret) return AuthenticateResult.NoResult();
        if (await keys.FindAsync(secret) is not { } key)
        {
            Context.Items[FailedItem] = true;
            return AuthenticateResult.Fail("unknown or revoked API key");
        }

        Claim[] claims =
        [
            new(ClaimTypes.NameIdentifier, key.Id),
            new(ClaimTypes.Role, key.Role),
            new(Caller.OrganizationClaim, key.OrganizationId),
            .. key.Npi is null ? Array.Empty<Claim>() : [new Claim(Caller.NpiClaim, key.Npi)],
        ];
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), SchemeName));
    }

    /// <summary>The secret of a <c>Bearer</c> Authorization header; null when there is none.</summary>
    public static string? SecretOf(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return null;
        var secret = header["Bearer ".Length..].Trim();
        return secret.Length == 0 ? null : secret;
    }

    /// <summary>Whether this request's key was looked up and not found (or revoked).</summary>
    public static bool KeyFailed(HttpContext context) => context.Items.ContainsKey(FailedItem);
}
