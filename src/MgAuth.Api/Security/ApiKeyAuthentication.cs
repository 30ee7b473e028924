using System.Collections.Concurrent;
using System.Security.Claims;
using System.Text.Encodings.Web;
using MgAuth.Api.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace MgAuth.Api.Security;

/// <summary>
/// <c>Authorization: Bearer mga_…</c>. The key is hashed and looked up; a short cache keeps the
/// lookup off the hot path, so a revoked key stops working within <see cref="CacheFor"/>.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    ApiKeyStore keys, TimeProvider clock)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(10);
    private static readonly ConcurrentDictionary<string, (ApiKeyRecord? Key, DateTimeOffset Until)> Cache = new();

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return AuthenticateResult.NoResult();
        var secret = header["Bearer ".Length..].Trim();
        var hash = ApiKeyStore.Hash(secret);
        var now = clock.GetUtcNow();
        if (!Cache.TryGetValue(hash, out var cached) || cached.Until < now)
        {
            cached = (await keys.FindAsync(secret), now + CacheFor);
            Cache[hash] = cached;
        }
        if (cached.Key is not { } key)
            return AuthenticateResult.Fail("unknown or revoked API key");

        Claim[] claims =
        [
            new(ClaimTypes.NameIdentifier, key.Id),
            new(ClaimTypes.Role, key.Role),
            new(Caller.OrganizationClaim, key.OrganizationId),
            .. key.Npi is null ? Array.Empty<Claim>() : [new Claim(Caller.NpiClaim, key.Npi)],
        ];
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), SchemeName));
    }

    /// <summary>For tests that revoke a key and expect the next request to see it.</summary>
    internal static void ForgetCachedKeys() => Cache.Clear();
}
