using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MgAuth.Api.Security;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace MgAuth.Api.Tests.Support;

/// <summary>A person at the fake identity provider: subject, name and the claims MgAuth reads (roles may be several).</summary>
public sealed record IdpPerson(string Subject, string Name, string[] Roles, string? Organization = null, string? Npi = null);

/// <summary>
/// An OpenID Connect provider in the test process, reached only through its <see cref="Backchannel"/> (no network): its
/// metadata, its signing key (RSA, minted here) as a JWKS, a token endpoint for authorization codes (with PKCE) and refresh
/// tokens, userinfo and an end_session_endpoint. A person it <see cref="Disable"/>s can no longer refresh.
/// </summary>
public sealed class FakeIdentityProvider : IStaffAuthority
{
    public const string Issuer = "https://idp.test/realms/plan";
    public const string ClientId = "mgauth-console";
    public const string ClientSecret = "console-secret";
    public const string Audience = "mgauth";

    private readonly RsaSecurityKey _key = new(RSA.Create(2048)) { KeyId = "signing-1" };
    private readonly ConcurrentDictionary<string, (IdpPerson Person, string Nonce, string Challenge)> _codes = new();
    private readonly ConcurrentDictionary<string, IdpPerson> _refreshTokens = new();
    private readonly ConcurrentDictionary<string, IdpPerson> _accessTokens = new();
    private readonly ConcurrentDictionary<string, bool> _disabled = new();

    public FakeIdentityProvider() => Backchannel = new Handler(this);

    public string? Authority => Issuer;

    public HttpMessageHandler? Backchannel { get; }

    /// <summary>The access token lifetime it issues, in seconds (the console refreshes within 30 s of expiry).</summary>
    public int AccessTokenSeconds { get; set; } = 300;

    public int Refreshes;

    public void Disable(string subject) => _disabled[subject] = true;

    /// <summary>The provider's administrator gives a person other roles: their next tokens carry them.</summary>
    public void ChangeRoles(string subject, params string[] roles) => _roles[subject] = roles;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string[]> _roles = new();

    /// <summary>An access token for <paramref name="person"/>, as the provider signs it, unless the test changes what it is.</summary>
    public string AccessToken(IdpPerson person, string? audience = Audience, TimeSpan? lifetime = null, SecurityKey? signWith = null,
        string issuer = Issuer, DateTimeOffset? now = null)
    {
        var at = now ?? DateTimeOffset.UtcNow;
        var claims = Claims(person);
        if (audience is not null) claims["aud"] = audience;
        var token = Sign(claims, at, lifetime ?? TimeSpan.FromMinutes(5), signWith ?? _key, issuer);
        _accessTokens[token] = person;
        return token;
    }

    /// <summary>Another key with a key id the provider does not publish.</summary>
    public static RsaSecurityKey UnknownKey() => new(RSA.Create(2048)) { KeyId = "not-published" };

    /// <summary>What the provider's login page does once the person signs in: a code for the client's redirect.</summary>
    public string IssueCode(IdpPerson person, string nonce, string codeChallenge)
    {
        var code = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        _codes[code] = (person, nonce, codeChallenge);
        return code;
    }

    private static Dictionary<string, object> Claims(IdpPerson person)
    {
        var claims = new Dictionary<string, object> { ["sub"] = person.Subject, ["name"] = person.Name, ["roles"] = person.Roles };
        if (person.Organization is not null) claims["org"] = person.Organization;
        if (person.Npi is not null) claims["npi"] = person.Npi;
        return claims;
    }

    private static string Sign(Dictionary<string, object> claims, DateTimeOffset at, TimeSpan lifetime, SecurityKey key, string issuer) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Claims = claims,
            IssuedAt = at.UtcDateTime,
            NotBefore = at.UtcDateTime.AddSeconds(-1),
            Expires = at.UtcDateTime.Add(lifetime),
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
        });

    private object? Answer(HttpRequestMessage request, Dictionary<string, string> form)
    {
        switch (request.RequestUri!.AbsolutePath)
        {
            case "/realms/plan/.well-known/openid-configuration":
                return new Dictionary<string, object>
                {
                    ["issuer"] = Issuer,
                    ["authorization_endpoint"] = Issuer + "/authorize",
                    ["token_endpoint"] = Issuer + "/token",
                    ["userinfo_endpoint"] = Issuer + "/userinfo",
                    ["end_session_endpoint"] = Issuer + "/logout",
                    ["jwks_uri"] = Issuer + "/jwks",
                    ["response_types_supported"] = new[] { "code" },
                    ["subject_types_supported"] = new[] { "public" },
                    ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
                    ["code_challenge_methods_supported"] = new[] { "S256" },
                };
            case "/realms/plan/jwks":
                var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(_key.Rsa.ExportParameters(false)) { KeyId = _key.KeyId });
                return new { keys = new[] { new { kty = jwk.Kty, kid = jwk.Kid, use = "sig", alg = "RS256", n = jwk.N, e = jwk.E } } };
            case "/realms/plan/userinfo":
                var bearer = request.Headers.Authorization?.Parameter ?? "";
                return _accessTokens.TryGetValue(bearer, out var known) ? Claims(known) : null;
            case "/realms/plan/token":
                return Token(form);
            default:
                return null;
        }
    }

    private object? Token(Dictionary<string, string> form)
    {
        if (form.GetValueOrDefault("client_id") != ClientId || form.GetValueOrDefault("client_secret") != ClientSecret) return null;
        IdpPerson person;
        string? nonce = null;
        if (form.GetValueOrDefault("grant_type") == "authorization_code")
        {
            if (!_codes.TryRemove(form.GetValueOrDefault("code") ?? "", out var issued)) return null;
            // PKCE: the verifier the client kept must hash to the challenge it sent.
            var verifier = form.GetValueOrDefault("code_verifier") ?? "";
            if (Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))) != issued.Challenge) return null;
            (person, nonce) = (issued.Person, issued.Nonce);
        }
        else if (form.GetValueOrDefault("grant_type") == "refresh_token")
        {
            if (!_refreshTokens.TryRemove(form.GetValueOrDefault("refresh_token") ?? "", out var holder)) return null;
            person = holder;
            Interlocked.Increment(ref Refreshes);
        }
        else return null;
        if (_disabled.ContainsKey(person.Subject)) return null;
        if (_roles.TryGetValue(person.Subject, out var roles)) person = person with { Roles = roles };

        var now = DateTimeOffset.UtcNow;
        var idClaims = Claims(person);
        idClaims["aud"] = ClientId;
        if (nonce is not null) idClaims["nonce"] = nonce;
        var refresh = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        _refreshTokens[refresh] = person;
        return new Dictionary<string, object>
        {
            ["access_token"] = AccessToken(person, lifetime: TimeSpan.FromSeconds(AccessTokenSeconds)),
            ["token_type"] = "Bearer",
            ["expires_in"] = AccessTokenSeconds,
            ["refresh_token"] = refresh,
            ["id_token"] = Sign(idClaims, now, TimeSpan.FromMinutes(5), _key, Issuer),
        };
    }

    private sealed class Handler(FakeIdentityProvider provider) : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var form = request.Content is null ? [] : (await request.Content.ReadAsStringAsync(cancellationToken)).Split('&', StringSplitOptions.RemoveEmptyEntries)
                .Select(pair => pair.Split('=', 2)).ToDictionary(p => Uri.UnescapeDataString(p[0].Replace('+', ' ')), p => Uri.UnescapeDataString(p[1].Replace('+', ' ')));
            var answer = request.RequestUri!.Host == "idp.test" ? provider.Answer(request, form) : null;
            return answer is null
                ? new HttpResponseMessage(HttpStatusCode.BadRequest) { Content = new StringContent("{\"error\":\"invalid_grant\"}", Encoding.UTF8, "application/json") }
                : new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(JsonSerializer.Serialize(answer), Encoding.UTF8, "application/json") };
        }
    }
}

/// <summary>The service with staff sign-in at a <see cref="FakeIdentityProvider"/>.</summary>
public class StaffFactory : MgAuthFactory
{
    public FakeIdentityProvider Idp { get; } = new();

    protected override IEnumerable<KeyValuePair<string, string?>> Overrides =>
    [
        new("Staff:Authority", FakeIdentityProvider.Issuer),
        new("Staff:ClientId", FakeIdentityProvider.ClientId),
        new("Staff:ClientSecret", FakeIdentityProvider.ClientSecret),
        new("Staff:Audience", FakeIdentityProvider.Audience),
    ];

    protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<IStaffAuthority>(Idp));
    }

    public HttpClient ClientWithToken(string token)
    {
        var client = Anonymous();
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        return client;
    }

    public HttpClient ClientFor(IdpPerson person) => ClientWithToken(Idp.AccessToken(person));
}
