using MgAuth.Api.Infrastructure;
using MgAuth.Cases;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace MgAuth.Api.Security;

/// <summary>
/// The identity provider's access tokens on the API (<c>Authorization: Bearer eyJ…</c>): signed by a key its metadata
/// publishes, issued by it, for <see cref="StaffOptions.Audience"/>, unexpired (30 s of clock skew at most), and mapped to
/// MgAuth's claims (<see cref="StaffClaims"/>). A refused token is answered 401 with why.
/// </summary>
public static class StaffTokens
{
    public const string Scheme = "StaffToken";

    /// <summary>The most a token's times may be off: a disabled person's token stops working this long after it expires.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    /// <summary>Configures the scheme from the authority (read when the scheme is first used, so a test or Development may replace it).</summary>
    public static void Configure(JwtBearerOptions o, IStaffAuthority authority, StaffOptions staff)
    {
        if (authority.Authority is not { } issuer) return;
        o.Authority = issuer;
        o.RequireHttpsMetadata = !IsLoopbackHttp(issuer);
        if (authority.Backchannel is { } backchannel) o.BackchannelHttpHandler = backchannel;
        o.MapInboundClaims = false;
        o.TokenValidationParameters = new TokenValidationParameters
        {
            ValidateIssuer = true,
            ValidateAudience = true,
            ValidAudience = staff.Audience,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ValidateIssuerSigningKey = true,
            ClockSkew = ClockSkew,
        };
        o.Events = new JwtBearerEvents
        {
            OnTokenValidated = context =>
            {
                var tokenIssuer = context.SecurityToken.Issuer;
                var (principal, refusal) = StaffClaims.Map(context.Principal!.Claims, tokenIssuer, staff, Scheme);
                if (refusal is not null) context.Fail(new StaffTokenRefusedException(refusal));
                else context.Principal = principal;
                return Task.CompletedTask;
            },
            OnChallenge = async context =>
            {
                context.HandleResponse();
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                context.Response.Headers.WWWAuthenticate = context.AuthenticateFailure is null ? "Bearer" : "Bearer error=\"invalid_token\"";
                var refusal = new Refusal(RefusalKind.Unauthenticated, "The access token was not accepted", Why(context.AuthenticateFailure));
                await Problems.For(refusal).ExecuteAsync(context.HttpContext);
            },
        };
    }

    /// <summary>An http:// authority is accepted only on loopback (a provider run beside the service in tests); anything else needs https.</summary>
    public static bool IsLoopbackHttp(string authority) =>
        Uri.TryCreate(authority, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback;

    /// <summary>Whether the bearer is shaped as a JSON Web Token (three base64url parts), not an API key.</summary>
    public static bool LooksLikeToken(string bearer) =>
        bearer.StartsWith("eyJ", StringComparison.Ordinal) && bearer.Count(c => c == '.') == 2
        && !bearer.StartsWith(MgAuth.Cases.Security.ApiKeyFormat.Prefix, StringComparison.Ordinal);

    private static string Why(Exception? failure) => failure switch
    {
        null => "Send Authorization: Bearer <an access token from the plan's identity provider, or an MgAuth API key>.",
        StaffTokenRefusedException refused => refused.Message,
        SecurityTokenExpiredException => "The token has expired: get a new one from the identity provider.",
        SecurityTokenInvalidAudienceException => "The token is for another audience (its aud must name this service).",
        SecurityTokenSignatureKeyNotFoundException => "The token is signed by a key the identity provider does not publish.",
        SecurityTokenInvalidIssuerException => "The token was issued by another identity provider.",
        SecurityTokenNotYetValidException => "The token is not valid yet.",
        _ => "The token's signature or claims are not valid.",
    };
}

/// <summary>A token that validated but does not fit MgAuth's claims (no role, several roles, a provider without organization).</summary>
public sealed class StaffTokenRefusedException(string message) : Exception(message);

/// <summary>Registers <see cref="StaffTokens.Configure"/> for the scheme, with the authority resolved from the services.</summary>
internal sealed class StaffTokenOptionsSetup(IStaffAuthority authority, IOptions<StaffOptions> staff) : IConfigureNamedOptions<JwtBearerOptions>
{
    public void Configure(string? name, JwtBearerOptions options)
    {
        if (name == StaffTokens.Scheme) StaffTokens.Configure(options, authority, staff.Value);
    }

    public void Configure(JwtBearerOptions options) => Configure(Options.DefaultName, options);
}
