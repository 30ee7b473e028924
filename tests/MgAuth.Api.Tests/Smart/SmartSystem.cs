using System.Security.Cryptography;
using System.Text.Json;
using MgAuth.Api.Tests.Support;
using MgAuth.Cases.Data;
using MgAuth.Cases.Smart;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace MgAuth.Api.Tests.Smart;

/// <summary>
/// A provider's system as SMART Backend Services sees it: a key pair (RSA for RS384, EC P-384 for ES384) whose public half
/// is registered, and client assertions signed with the private half, minted with Microsoft.IdentityModel as a client
/// library would.
/// </summary>
public sealed class SmartSystem
{
    public const string TokenUrl = "http://localhost/auth/token";
    public const string AssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    private SmartSystem(AsymmetricSecurityKey key, string algorithm, string jwks) => (Key, Algorithm, Jwks) = (key, algorithm, jwks);

    public AsymmetricSecurityKey Key { get; }
    public string Algorithm { get; }

    /// <summary>The public keys, as registered.</summary>
    public string Jwks { get; }

    public string ClientId { get; private set; } = "";

    public static SmartSystem Rs384(string kid = "rs-1")
    {
        var rsa = RSA.Create(2048);
        var p = rsa.ExportParameters(false);
        return new(new RsaSecurityKey(rsa) { KeyId = kid }, SecurityAlgorithms.RsaSha384,
            Set(new { kty = "RSA", kid, use = "sig", alg = "RS384", n = Base64UrlEncoder.Encode(p.Modulus), e = Base64UrlEncoder.Encode(p.Exponent) }));
    }

    public static SmartSystem Es384(string kid = "es-1")
    {
        var ec = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var p = ec.ExportParameters(false);
        return new(new ECDsaSecurityKey(ec) { KeyId = kid }, SecurityAlgorithms.EcdsaSha384,
            Set(new { kty = "EC", kid, use = "sig", alg = "ES384", crv = "P-384", x = Base64UrlEncoder.Encode(p.Q.X), y = Base64UrlEncoder.Encode(p.Q.Y) }));
    }

    private static string Set(object key) => JsonSerializer.Serialize(new { keys = new[] { key } });

    /// <summary>Registered for <paramref name="organizationId"/> with the scopes given (all when none).</summary>
    public SmartSystem RegisterWith(MgAuthFactory factory, string organizationId, string? npi = null, params string[] scopes)
    {
        var clients = factory.Services.GetRequiredService<SmartClients>();
        var client = Task.Run(() => clients.RegisterAsync(KeyIssuing.TestSetup, organizationId, $"{organizationId} EHR", Jwks, scopes, npi))
            .GetAwaiter().GetResult();
        ClientId = client.Id;
        return this;
    }

    /// <summary>The client id registered some other way (the CLI).</summary>
    public SmartSystem As(string clientId)
    {
        ClientId = clientId;
        return this;
    }

    /// <summary>A client assertion as SMART describes it; each part can be changed to make a bad one.</summary>
    public string Assertion(string? audience = TokenUrl, TimeSpan? expiresIn = null, string? jti = null, string? issuer = null,
        SigningCredentials? credentials = null, DateTime? issuedAt = null)
    {
        var now = issuedAt ?? DateTime.UtcNow;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuer ?? ClientId,
            Audience = audience,
            Claims = new Dictionary<string, object> { ["sub"] = issuer ?? ClientId, ["jti"] = jti ?? Guid.NewGuid().ToString("N") },
            IssuedAt = now,
            NotBefore = now,
            Expires = now + (expiresIn ?? TimeSpan.FromMinutes(4)),
            SigningCredentials = credentials ?? new SigningCredentials(Key, Algorithm),
        };
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }

    /// <summary>POST /auth/token with client_credentials and the assertion.</summary>
    public static Task<HttpResponseMessage> RequestTokenAsync(HttpClient client, string assertion, string scope = "system/Claim.write system/Claim.read")
    {
        return client.PostAsync("/auth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["scope"] = scope,
            ["client_assertion_type"] = AssertionType,
            ["client_assertion"] = assertion,
        }));
    }

    /// <summary>A token for this system, insisting on 200.</summary>
    public async Task<string> TokenAsync(MgAuthFactory factory, string scope = "system/Claim.write system/Claim.read")
    {
        using var response = await RequestTokenAsync(factory.Anonymous(), Assertion(), scope);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"token request: {(int)response.StatusCode} {text}");
        return (string)JsonNode.Parse(text)!["access_token"]!;
    }
}
