using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using MgAuth.Api.Crd;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace MgAuth.Api.Tests.Support;

/// <summary>
/// An EHR that signs its CDS Hooks calls as CDS Hooks 2.0 asks: an RS384 and an ES384 key, published as a JWKS at
/// <see cref="JwksUrl"/> (served by <see cref="JwksServer"/>), each call's JWT minted for the call.
/// </summary>
public sealed class Ehr : IDisposable
{
    public const string Issuer = "https://ehr.example/fhir";
    public const string JwksUrl = "https://ehr.example/.well-known/jwks.json";
    public const string Name = "Example Health EHR";
    public const string Audience = "https://payer.example";
    public const string ServiceUrl = Audience + CrdCalls.OrderSign;

    private readonly RSA _rsa = RSA.Create(2048);
    private readonly ECDsa _ec = ECDsa.Create(ECCurve.NamedCurves.nistP384);

    public Ehr()
    {
        Rsa = new RsaSecurityKey(_rsa) { KeyId = "ehr-rsa-1" };
        Ec = new ECDsaSecurityKey(_ec) { KeyId = "ehr-ec-1" };
    }

    public RsaSecurityKey Rsa { get; }
    public ECDsaSecurityKey Ec { get; }

    public SigningCredentials Rs384 => new(Rsa, SecurityAlgorithms.RsaSha384);
    public SigningCredentials Es384 => new(Ec, SecurityAlgorithms.EcdsaSha384);

    /// <summary>A new RSA key the EHR has not published (or publishes later), with the kid given.</summary>
    public static RsaSecurityKey OtherRsa(string kid) => new(RSA.Create(2048)) { KeyId = kid };

    /// <summary>The JWKS publishing the public halves of <paramref name="keys"/> (both of the EHR's when none are named).</summary>
    public string Jwks(params SecurityKey[] keys)
    {
        var published = new JsonArray();
        foreach (var key in keys.Length == 0 ? [Rsa, Ec] : keys)
        {
            var jwk = key switch
            {
                RsaSecurityKey rsa => JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(rsa.Rsa.ExportParameters(false)) { KeyId = rsa.KeyId }),
                ECDsaSecurityKey ec => JsonWebKeyConverter.ConvertFromECDsaSecurityKey(new ECDsaSecurityKey(ECDsa.Create(ec.ECDsa.ExportParameters(false))) { KeyId = ec.KeyId }),
                _ => throw new ArgumentException("an RSA or EC key", nameof(keys)),
            };
            var node = new JsonObject { ["kty"] = jwk.Kty, ["kid"] = jwk.Kid, ["use"] = "sig" };
            if (jwk.Kty == "RSA") { node["n"] = jwk.N; node["e"] = jwk.E; node["alg"] = "RS384"; }
            else { node["crv"] = jwk.Crv; node["x"] = jwk.X; node["y"] = jwk.Y; node["alg"] = "ES384"; }
            published.Add(node);
        }
        return new JsonObject { ["keys"] = published }.ToJsonString();
    }

    /// <summary>
    /// A JWT for one call at <paramref name="now"/>: by default issued now, for 5 minutes, to the order-sign service's URL,
    /// with a fresh jti and sub "practitioner-17", signed RS384.
    /// </summary>
    public string Token(DateTimeOffset now, SigningCredentials? signing = null, string issuer = Issuer, string? audience = ServiceUrl,
        TimeSpan? issuedAgo = null, TimeSpan? lifetime = null, string? jti = "new", string? subject = "practitioner-17", bool withIat = true)
    {
        var issuedAt = now - (issuedAgo ?? TimeSpan.Zero);
        var claims = new Dictionary<string, object>();
        if (jti is not null) claims[JwtRegisteredClaimNames.Jti] = jti == "new" ? Guid.NewGuid().ToString("N") : jti;
        if (subject is not null) claims[JwtRegisteredClaimNames.Sub] = subject;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Expires = (issuedAt + (lifetime ?? TimeSpan.FromMinutes(5))).UtcDateTime,
            IssuedAt = withIat ? issuedAt.UtcDateTime : null,
            Claims = claims,
            SigningCredentials = signing ?? Rs384,
        };
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }

    /// <summary>An unsigned token (<c>alg: none</c>) naming the EHR's RSA kid.</summary>
    public static string Unsigned(DateTimeOffset now, string kid) =>
        $"{Part(new JsonObject { ["alg"] = "none", ["typ"] = "JWT", ["kid"] = kid })}.{Part(new JsonObject
        {
            ["iss"] = Issuer,
            ["aud"] = ServiceUrl,
            ["iat"] = now.ToUnixTimeSeconds(),
            ["exp"] = now.AddMinutes(5).ToUnixTimeSeconds(),
            ["jti"] = Guid.NewGuid().ToString("N"),
        })}.";

    /// <summary>HS256 signed with the EHR's public RSA key (its PEM) as the secret: the algorithm-confusion attack.</summary>
    public SigningCredentials Hs256WithPublicKey() =>
        new(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(_rsa.ExportSubjectPublicKeyInfoPem())) { KeyId = Rsa.KeyId }, SecurityAlgorithms.HmacSha256);

    private static string Part(JsonObject json) => Base64UrlEncoder.Encode(json.ToJsonString());

    public void Dispose()
    {
        _rsa.Dispose();
        _ec.Dispose();
    }
}

/// <summary>The EHRs' JWKS URLs as the service reaches them: each answers its document, and every request is counted.</summary>
public sealed class JwksServer : HttpMessageHandler
{
    public ConcurrentDictionary<string, string> Documents { get; } = new();
    public ConcurrentQueue<Uri> Requests { get; } = new();

    public int RequestsFor(string url) => Requests.Count(u => u.AbsoluteUri == url);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Requests.Enqueue(request.RequestUri!);
        return Task.FromResult(Documents.TryGetValue(request.RequestUri!.AbsoluteUri, out var document)
            ? new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(document, Encoding.UTF8, "application/json") }
            : new HttpResponseMessage(HttpStatusCode.NotFound));
    }

    // Shared by every handler the client factory builds: never disposed by it.
    protected override void Dispose(bool disposing)
    {
    }
}

/// <summary>
/// The service trusting <see cref="Ehr"/> for org A (audience base <see cref="Ehr.Audience"/>), and two issuers whose
/// JWKS URLs point into the payer's own network (link-local metadata, loopback), with the SSRF guard on; on a clock the
/// test moves. Set <see cref="Sharing"/> to be a second instance on another's database.
/// </summary>
public sealed class SignedHookFactory : MgAuthFactory
{
    public const string MetadataIssuer = "https://metadata.ehr.example";
    public const string MetadataJwks = "https://169.254.169.254/latest/meta-data/jwks";
    public const string LoopbackIssuer = "https://loopback.ehr.example";
    public const string LoopbackJwks = "https://localhost:8443/jwks";

    /// <summary>The instance whose database this one uses too (a second replica), or null for a database of its own.</summary>
    public MgAuthFactory? Sharing { get; init; }

    /// <summary>The EHR trusted (a second instance is given the first's, as two replicas trust one EHR).</summary>
    public Ehr Ehr { get; init; } = new();
    public JwksServer Jwks { get; } = new();
    public ManualClock Clock { get; } = new();

    protected override IEnumerable<KeyValuePair<string, string?>> Overrides =>
    [
        new("CdsHooks:Audience", Ehr.Audience),
        new("CdsHooks:Issuers:0:Issuer", Ehr.Issuer),
        new("CdsHooks:Issuers:0:JwksUrl", Ehr.JwksUrl),
        new("CdsHooks:Issuers:0:OrganizationId", TestKeys.OrgA),
        new("CdsHooks:Issuers:0:Name", Ehr.Name),
        new("CdsHooks:Issuers:1:Issuer", MetadataIssuer),
        new("CdsHooks:Issuers:1:JwksUrl", MetadataJwks),
        new("CdsHooks:Issuers:1:OrganizationId", TestKeys.OrgA),
        new("CdsHooks:Issuers:2:Issuer", LoopbackIssuer),
        new("CdsHooks:Issuers:2:JwksUrl", LoopbackJwks),
        new("CdsHooks:Issuers:2:OrganizationId", TestKeys.OrgA),
        .. Sharing is null ? [] : new KeyValuePair<string, string?>[] { new("ConnectionStrings:MgAuth", Sharing.ConnectionString) },
    ];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        Jwks.Documents[Ehr.JwksUrl] = Ehr.Jwks();
        // What an attacker would want fetched: the guard must refuse before any request goes out.
        Jwks.Documents[MetadataJwks] = Ehr.Jwks();
        Jwks.Documents[LoopbackJwks] = Ehr.Jwks();
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(Clock);
            services.AddHttpClient(EhrKeys.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => Jwks);
        });
    }

    /// <summary>An EHR's client sending <paramref name="token"/> as its Authorization.</summary>
    public HttpClient Signed(string token) => ClientWithSecret(token);

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (!ReferenceEquals(Ehr, (Sharing as SignedHookFactory)?.Ehr)) Ehr.Dispose();
        Jwks.Dispose();
    }
}
