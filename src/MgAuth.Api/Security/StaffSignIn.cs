using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MgAuth.Api.Infrastructure;
using MgAuth.Cases;
using MgAuth.Domain.Requests;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace MgAuth.Api.Security;

/// <summary>
/// The console's sign-in through the plan's identity provider: OpenID Connect, authorization code with PKCE, the person's
/// tokens kept in an HttpOnly, SameSite=Strict session cookie. The session lives as long as the provider says: when the
/// access token expires it is refreshed with the refresh token, and a refused refresh (the person disabled, the session
/// revoked) ends it. A request is authenticated by the cookie only with the console's header
/// (<see cref="ConsoleHeader"/>), which no other site's page can send, so another site cannot act with a reviewer's session.
/// </summary>
public static class StaffSignIn
{
    public const string Scheme = "StaffSignIn";
    public const string CookieScheme = "StaffSession";
    public const string CookieName = "mgauth.session";

    /// <summary>The header the console sends with every call; a cross-site form or image cannot, and nothing here allows CORS.</summary>
    public const string ConsoleHeader = "X-MgAuth-Console";
    public const string ConsoleHeaderValue = "1";

    /// <summary>Whether the request comes from the console's own script with the session cookie.</summary>
    public static bool IsConsoleCall(HttpRequest request) =>
        request.Cookies.ContainsKey(CookieName) && request.Headers[ConsoleHeader] == ConsoleHeaderValue;

    public static AuthenticationBuilder AddStaffSignIn(this AuthenticationBuilder authentication, IServiceCollection services)
    {
        services.AddSingleton<StaffSessionRefresher>();
        services.AddSingleton<IConfigureOptions<CookieAuthenticationOptions>, CookieSetup>();
        services.AddSingleton<IConfigureOptions<OpenIdConnectOptions>, OpenIdConnectSetup>();
        return authentication.AddCookie(CookieScheme).AddOpenIdConnect(Scheme, _ => { });
    }

    /// <summary><c>GET /signin</c>, <c>POST /signout</c> and <c>GET /session</c>: what the console's sign-in needs.</summary>
    public static IEndpointRouteBuilder MapStaffSignIn(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("").WithTags("Staff sign-in").AllowAnonymous();
        group.MapGet("/signin", SignIn).WithSummary("Sign in to the console through the plan's identity provider (404 when staff sign-in is off)");
        group.MapPost("/signout", SignOutAsync).WithSummary("End the console session, here and at the identity provider");
        group.MapGet("/session", SessionAsync).WithSummary("Whether staff sign-in is on, and who is signed in to the console");
        return routes;
    }

    private static Results<ChallengeHttpResult, JsonHttpResult<ProblemDocument>> SignIn(IStaffAuthority authority) =>
        authority.Authority is null ? Off() : TypedResults.Challenge(new AuthenticationProperties { RedirectUri = "/#/queue" }, [Scheme]);

    /// <summary>Who is signed in: answered to the console's page on load (which reads no key then).</summary>
    private static async Task<Ok<SessionView>> SessionAsync(HttpContext http, IStaffAuthority authority)
    {
        if (authority.Authority is null) return TypedResults.Ok(new SessionView(false, false, null, null));
        var session = await http.AuthenticateAsync(CookieScheme);
        var person = session.Succeeded ? StaffClaims.PersonOf(session.Principal!) : null;
        return TypedResults.Ok(new SessionView(true, person is not null, person?.Name, session.Principal?.FindFirst(System.Security.Claims.ClaimTypes.Role)?.Value));
    }

    /// <summary>
    /// Ends the session here and answers where to end it at the identity provider (its end_session_endpoint with the
    /// id_token_hint), for the console to go to; the console's header is required, so another site cannot sign a person out.
    /// </summary>
    private static async Task<Results<Ok<SignedOut>, JsonHttpResult<ProblemDocument>>> SignOutAsync(HttpContext http, IStaffAuthority authority,
        IOptionsMonitor<OpenIdConnectOptions> oidc)
    {
        if (authority.Authority is null) return Off();
        if (http.Request.Headers[ConsoleHeader] != ConsoleHeaderValue)
            return Problems.For(Refusal.Rejected(ProblemDocument.InvalidRequest(new Dictionary<string, string[]>
            {
                [ConsoleHeader] = ["sign out from the console (its calls carry this header)"],
            })));
        var session = await http.AuthenticateAsync(CookieScheme);
        await http.SignOutAsync(CookieScheme);
        var idToken = session.Properties?.GetTokenValue("id_token");
        var options = oidc.Get(Scheme);
        var configuration = await options.ConfigurationManager!.GetConfigurationAsync(http.RequestAborted);
        if (idToken is null || string.IsNullOrEmpty(configuration.EndSessionEndpoint)) return TypedResults.Ok(new SignedOut("/"));
        var back = $"{http.Request.Scheme}://{http.Request.Host}{options.SignedOutCallbackPath}";
        var end = QueryString.Create(new Dictionary<string, string?>
        {
            ["id_token_hint"] = idToken,
            ["post_logout_redirect_uri"] = back,
            ["client_id"] = options.ClientId,
        });
        return TypedResults.Ok(new SignedOut(configuration.EndSessionEndpoint + end));
    }

    private static JsonHttpResult<ProblemDocument> Off() =>
        Problems.For(new Refusal(RefusalKind.NotFound, "Staff sign-in is off",
            "No identity provider is configured (Staff:Authority): sign in to the console with an API key."));

    /// <summary>What <c>GET /session</c> answers.</summary>
    public sealed record SessionView(bool StaffSignIn, bool SignedIn, string? Name, string? Role);

    /// <summary>Where the console goes to end the session at the identity provider ("/" when it has no end_session_endpoint).</summary>
    public sealed record SignedOut(string Redirect);

    private sealed class CookieSetup(IOptions<StaffOptions> staff, StaffSessionRefresher refresher) : IConfigureNamedOptions<CookieAuthenticationOptions>
    {
        public void Configure(string? name, CookieAuthenticationOptions o)
        {
            if (name != CookieScheme) return;
            o.Cookie.Name = CookieName;
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.ExpireTimeSpan = TimeSpan.FromHours(staff.Value.SessionHours);
            o.SlidingExpiration = false;
            o.Events = new CookieAuthenticationEvents
            {
                // An API answers, it does not redirect.
                OnRedirectToLogin = context => { context.Response.StatusCode = StatusCodes.Status401Unauthorized; return Task.CompletedTask; },
                OnRedirectToAccessDenied = context => { context.Response.StatusCode = StatusCodes.Status403Forbidden; return Task.CompletedTask; },
                OnValidatePrincipal = refresher.ValidateAsync,
            };
        }

        public void Configure(CookieAuthenticationOptions options) => Configure(Options.DefaultName, options);
    }

    private sealed class OpenIdConnectSetup(IStaffAuthority authority, IOptions<StaffOptions> staff) : IConfigureNamedOptions<OpenIdConnectOptions>
    {
        public void Configure(string? name, OpenIdConnectOptions o)
        {
            if (name != Scheme) return;
            o.CallbackPath = "/signin-oidc";
            o.SignedOutCallbackPath = "/signout-callback-oidc";
            o.Events = new OpenIdConnectEvents { OnRemoteFailure = RefusedAsync };
            if (authority.Authority is not { } issuer)
            {
                // Off: the scheme still answers its callback paths (every request passes remote handlers), refusing them.
                o.ClientId = "staff-sign-in-off";
                o.Configuration = new OpenIdConnectConfiguration();
                return;
            }
            var settings = staff.Value;
            o.Authority = issuer;
            o.RequireHttpsMetadata = !StaffTokens.IsLoopbackHttp(issuer);
            if (authority.Backchannel is { } backchannel) o.BackchannelHttpHandler = backchannel;
            o.ClientId = settings.ClientId;
            o.ClientSecret = settings.ClientSecret;
            o.ResponseType = OpenIdConnectResponseType.Code;
            o.UsePkce = true;
            o.SaveTokens = true;
            o.MapInboundClaims = false;
            // The person's claims come from the ID token: the access token is for MgAuth (aud = Staff:Audience, RFC 8707/9068),
            // and a provider that binds it to that resource refuses it at its own userinfo endpoint (oidc-provider does: 401).
            o.GetClaimsFromUserInfoEndpoint = false;
            o.SignInScheme = CookieScheme;
            o.SignedOutRedirectUri = "/";
            o.TokenValidationParameters.ClockSkew = StaffTokens.ClockSkew;
            o.Scope.Clear();
            foreach (var scope in settings.Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries)) o.Scope.Add(scope);
            foreach (var claim in new[] { settings.Claims.Roles, settings.Claims.Organization, settings.Claims.Npi, settings.Claims.Name }.Distinct())
                o.ClaimActions.MapJsonKey(claim, claim);
            // The person becomes MgAuth's caller here, or is refused with why (no role, several, a provider without organization).
            o.Events.OnTicketReceived = context =>
            {
                var subject = context.Principal?.FindFirst("sub");
                var (principal, refusal) = StaffClaims.Map(context.Principal?.Claims ?? [], subject?.Issuer ?? issuer, settings, CookieScheme);
                if (refusal is null)
                {
                    context.Principal = principal;
                    return Task.CompletedTask;
                }
                // Not signed in (a failure here would be ignored and the provider's principal signed in as it is).
                context.HandleResponse();
                RedirectRefused(context.Response, refusal);
                return Task.CompletedTask;
            };
        }

        // Back to the console, which says why (never a stack trace, never the provider's raw answer beyond its message).
        private static Task RefusedAsync(RemoteFailureContext context)
        {
            context.HandleResponse();
            RedirectRefused(context.Response, context.Failure?.Message ?? "the identity provider did not sign you in");
            return Task.CompletedTask;
        }

        private static void RedirectRefused(HttpResponse response, string why) =>
            response.Redirect("/?signin-refused=" + Uri.EscapeDataString(why.Length > 300 ? why[..300] : why));

        public void Configure(OpenIdConnectOptions options) => Configure(Options.DefaultName, options);
    }
}

/// <summary>
/// Keeps a console session as alive as the person's tokens: an access token about to expire is refreshed at the identity
/// provider's token endpoint; a refused refresh (the person disabled or signed out there) ends the session. Requests that
/// arrive together with the same refresh token share one refresh (a provider that rotates refresh tokens would refuse the second).
/// The refreshed ID token is read again as at sign-in, so a person whose role the provider changed or took away acts in the new
/// role, or is signed out, within the access token's lifetime.
/// </summary>
public sealed class StaffSessionRefresher(IOptionsMonitor<OpenIdConnectOptions> oidc, IOptions<StaffOptions> staff, TimeProvider clock,
    ILogger<StaffSessionRefresher> logger) : IDisposable
{
    private readonly MemoryCache _inFlight = new(new MemoryCacheOptions());

    public async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var expiresAt = context.Properties.GetTokenValue("expires_at");
        var now = clock.GetUtcNow();
        if (expiresAt is not null && DateTimeOffset.TryParse(expiresAt, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var expires)
            && expires - now > StaffTokens.ClockSkew)
            return;
        var refreshToken = context.Properties.GetTokenValue("refresh_token");
        var refreshed = refreshToken is null ? null : await RefreshOnceAsync(refreshToken);
        if (refreshed is null)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(StaffSignIn.CookieScheme);
            return;
        }
        if (refreshed.IdToken is not null)
        {
            // Straight from the provider's token endpoint over TLS (OpenID Connect Core 3.1.3.7): the same person, read again.
            var idToken = new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(refreshed.IdToken);
            var before = StaffClaims.PersonOf(context.Principal!);
            var (principal, refusal) = StaffClaims.Map(idToken.Claims, idToken.Issuer, staff.Value, StaffSignIn.CookieScheme);
            var after = principal is null ? null : StaffClaims.PersonOf(principal);
            if (principal is null || before is null || after is null || before.Issuer != after.Issuer || before.Subject != after.Subject)
            {
                logger.LogInformation("A console session ended: the refreshed identity was refused ({Reason})", refusal ?? "another person");
                context.RejectPrincipal();
                await context.HttpContext.SignOutAsync(StaffSignIn.CookieScheme);
                return;
            }
            context.ReplacePrincipal(principal);
        }
        context.Properties.UpdateTokenValue("access_token", refreshed.AccessToken);
        if (refreshed.RefreshToken is not null) context.Properties.UpdateTokenValue("refresh_token", refreshed.RefreshToken);
        if (refreshed.IdToken is not null) context.Properties.UpdateTokenValue("id_token", refreshed.IdToken);
        context.Properties.UpdateTokenValue("expires_at", refreshed.ExpiresAt.ToString("o", CultureInfo.InvariantCulture));
        context.ShouldRenew = true;
    }

    // Shared by the requests that carry the same refresh token, so not cancelled with any one of them.
    private Task<Refreshed?> RefreshOnceAsync(string refreshToken)
    {
        var key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(refreshToken)));
        return _inFlight.GetOrCreate(key, entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(1);
            return RefreshAsync(refreshToken, CancellationToken.None);
        })!;
    }

    private async Task<Refreshed?> RefreshAsync(string refreshToken, CancellationToken cancellationToken)
    {
        var options = oidc.Get(StaffSignIn.Scheme);
        try
        {
            var configuration = await options.ConfigurationManager!.GetConfigurationAsync(cancellationToken);
            using var response = await options.Backchannel.PostAsync(configuration.TokenEndpoint, new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "refresh_token",
                ["refresh_token"] = refreshToken,
                ["client_id"] = options.ClientId ?? "",
                ["client_secret"] = options.ClientSecret ?? "",
            }), cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                logger.LogInformation("A console session ended: the identity provider refused to refresh it ({Status})", (int)response.StatusCode);
                return null;
            }
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            var root = json.RootElement;
            string? Text(string name) => root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
            if (Text("access_token") is not { } accessToken) return null;
            var lifetime = root.TryGetProperty("expires_in", out var seconds) && seconds.TryGetInt32(out var s) ? s : 300;
            return new Refreshed(accessToken, Text("refresh_token"), Text("id_token"), clock.GetUtcNow().AddSeconds(lifetime));
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or InvalidOperationException or TaskCanceledException)
        {
            logger.LogWarning("A console session could not be refreshed: {Error}", e.GetType().Name);
            return null;
        }
    }

    private sealed record Refreshed(string AccessToken, string? RefreshToken, string? IdToken, DateTimeOffset ExpiresAt);

    public void Dispose() => _inFlight.Dispose();
}
