using System.Security.Claims;
using System.Text.Encodings.Web;
using MgAuth.Api.Infrastructure;
using MgAuth.Api.Security;
using MgAuth.Cases;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace MgAuth.Api.Crd;

/// <summary>
/// A CDS Hooks 2.0 call signed by its EHR: <c>Authorization: Bearer &lt;JWT&gt;</c> on <c>/cds-services/*</c>, checked by
/// <see cref="JsonWebTokenHandler"/> against the issuer's JWKS (<see cref="EhrKeys"/>): <c>iss</c> a configured issuer,
/// RS384 or ES384 only, <c>kid</c> among its keys, <c>aud</c> the URL of the service called, <c>exp</c> and <c>iat</c>
/// present with at most <see cref="CdsHooksOptions.MaxLifetime"/> between them (<see cref="CdsHooksOptions.ClockSkew"/>
/// of skew), and a <c>jti</c> never used before (<see cref="UsedTokenIds"/>, in the database). The caller is a provider
/// of the issuer's organization, the person the issuer and the token's <c>sub</c>. A refusal is a 401 problem naming
/// only which check failed.
/// </summary>
public sealed class SignedHookAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger,
    UrlEncoder encoder, IOptions<CdsHooksOptions> hooks, EhrKeys keys, UsedTokenIds usedIds, TimeProvider clock)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "CdsHooksJwt";
    public const string ServicesPath = "/cds-services";
    private const int MaxJtiLength = 256;

    private static readonly JsonWebTokenHandler Tokens = new() { MapInboundClaims = false };
    private string? _refused;

    /// <summary>The signed call's scheme for a JWT sent to a CDS service; null for anything else (an API key goes on as before).</summary>
    public static string? SchemeFor(HttpContext context) =>
        context.Request.Path.StartsWithSegments(ServicesPath, out var rest) && rest.HasValue && rest != "/"
        && ApiKeyAuthenticationHandler.SecretOf(context.Request) is { } secret && LooksLikeJwt(secret)
            ? SchemeName
            : null;

    // A JWS in compact form: three base64url parts. No API key has a dot.
    private static bool LooksLikeJwt(string secret) => secret.Count(c => c == '.') == 2 && !secret.StartsWith(ApiKeyFormat.Prefix, StringComparison.Ordinal);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (ApiKeyAuthenticationHandler.SecretOf(Request) is not { } token) return AuthenticateResult.NoResult();
        // Unverified yet: only which issuer's keys to check it with, and which of them.
        string claimedIssuer, kid;
        try
        {
            if (!Tokens.CanReadToken(token)) return Refuse("signature");
            var unverified = Tokens.ReadJsonWebToken(token);
            (claimedIssuer, kid) = (unverified.Issuer, unverified.Kid);
        }
        catch (ArgumentException) // SecurityTokenMalformedException: not base64url, not JSON, a claim of the wrong type
        {
            return Refuse("signature");
        }
        if (hooks.Value.Find(claimedIssuer) is not { } issuer) return Refuse("unknown issuer");
        if (string.IsNullOrEmpty(kid)) return Refuse("signature");
        if (await keys.ForAsync(issuer, kid, Context.RequestAborted) is not { } signingKeys) return Refuse("signature");

        var result = await Tokens.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = issuer.Issuer,
            ValidAudience = ExpectedAudience(),
            IgnoreTrailingSlashWhenValidatingAudience = false,
            IssuerSigningKeys = signingKeys,
            TryAllIssuerSigningKeys = false,
            ValidateIssuerSigningKey = true,
            ValidAlgorithms = [SecurityAlgorithms.RsaSha384, SecurityAlgorithms.EcdsaSha384],
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            RequireAudience = true,
            ValidateLifetime = true,
            ClockSkew = CdsHooksOptions.ClockSkew,
            // The library's own check reads the system clock; this one reads the service's (the same check: exp, nbf, skew).
            LifetimeValidator = (notBefore, expires, _, _) => WithinLifetime(notBefore, expires),
        });
        if (!result.IsValid) return Refuse(WhyInvalid(result.Exception));
        var jwt = (JsonWebToken)result.SecurityToken;

        if (!jwt.TryGetPayloadValue<long>(JwtRegisteredClaimNames.Iat, out var iatSeconds)) return Refuse("expired");
        var issuedAt = DateTimeOffset.FromUnixTimeSeconds(iatSeconds);
        var expires = new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero);
        // A token minted for one call: not issued in the future, and not valid for longer than a call needs.
        if (issuedAt > clock.GetUtcNow() + CdsHooksOptions.ClockSkew || expires - issuedAt > CdsHooksOptions.MaxLifetime) return Refuse("expired");

        if (string.IsNullOrEmpty(jwt.Id) || jwt.Id.Length > MaxJtiLength) return Refuse("replayed");
        if (!await usedIds.FirstUseAsync(issuer.Issuer, jwt.Id, expires + CdsHooksOptions.ClockSkew, Context.RequestAborted)) return Refuse("replayed");

        var subject = string.IsNullOrEmpty(jwt.Subject) ? issuer.Issuer : jwt.Subject;
        Claim[] claims =
        [
            new(ClaimTypes.NameIdentifier, subject),
            new(ClaimTypes.Role, Roles.Provider),
            new(Caller.OrganizationClaim, issuer.OrganizationId),
            new(Caller.PersonIssuerClaim, issuer.Issuer),
            new(Caller.PersonSubjectClaim, subject),
            new(Caller.PersonNameClaim, string.IsNullOrEmpty(issuer.Name) ? issuer.Issuer : issuer.Name),
        ];
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), SchemeName));
    }

    private bool WithinLifetime(DateTime? notBefore, DateTime? expires)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return expires is { } until && now <= until + CdsHooksOptions.ClockSkew
            && (notBefore is not { } from || from - CdsHooksOptions.ClockSkew <= now);
    }

    /// <summary>The <c>aud</c> the call must carry: the configured base (or the request's own) and the service's path.</summary>
    private string ExpectedAudience()
    {
        var path = (Request.PathBase + Request.Path).Value!.TrimEnd('/');
        return hooks.Value.Audience is { Length: > 0 } audience
            ? audience.TrimEnd('/') + path
            : $"{Request.Scheme}://{Request.Host.Value}{path}";
    }

    // Only which check failed: nothing about the keys, the expected values or the library's message.
    private static string WhyInvalid(Exception? error) => error switch
    {
        SecurityTokenInvalidAudienceException => "audience",
        SecurityTokenExpiredException or SecurityTokenNotYetValidException or SecurityTokenNoExpirationException
            or SecurityTokenInvalidLifetimeException => "expired",
        SecurityTokenInvalidIssuerException => "unknown issuer",
        _ => "signature",
    };

    private AuthenticateResult Refuse(string why)
    {
        _refused = why;
        return AuthenticateResult.Fail("signed CDS Hooks call refused: " + why);
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        await HandleAuthenticateOnceSafeAsync();
        Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
        await Problems.For(new Refusal(RefusalKind.Unauthenticated, "The signed CDS Hooks call was refused",
            $"The call's JWT was refused: {_refused ?? "signature"}.")).ExecuteAsync(Context);
    }
}

/// <summary>The signed CDS Hooks calls in the composition root.</summary>
public static class SignedHookSetup
{
    /// <summary>
    /// Registers the scheme, its keys and replay store (the bearer policy scheme in ServiceSetup hands it a JWT sent to a
    /// CDS service: <see cref="SignedHookAuthenticationHandler.SchemeFor"/>). The configuration is checked at start.
    /// </summary>
    public static IServiceCollection AddSignedCdsHooks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CdsHooksOptions>().Bind(configuration.GetSection(CdsHooksOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<CdsHooksOptions>, CdsHooksOptionsCheck>();
        services.AddSingleton<EhrKeys>();
        EhrKeys.AddHttpClient(services, configuration.GetValue($"{CdsHooksOptions.Section}:AllowPrivateJwks", false));
        services.AddSingleton<FhirServerPrefetch>();
        FhirServerPrefetch.AddHttpClient(services, configuration.GetValue($"{CdsHooksOptions.Section}:AllowPrivateFhirServer", false));
        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, SignedHookAuthenticationHandler>(SignedHookAuthenticationHandler.SchemeName, null);
        return services;
    }
}
