using System.Security.Claims;
using MgAuth.Api.Infrastructure;
using MgAuth.Api.Smart;
using MgAuth.Cases;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace MgAuth.Api.DevIdentity;

/// <summary>
/// Development without <c>Staff:Authority</c>: the service's own OpenIddict server (the one SMART Backend Services runs
/// on) is also the staff identity provider, so the console's sign-in works on a fresh clone. It adds the authorization
/// code flow with PKCE required (<see cref="AuthorizePath"/>, a login page listing <see cref="DemoPeople"/>), refresh
/// tokens, userinfo and end-session, for one client (<see cref="ConsoleClient"/>). Tokens carry sub, name, roles, org and
/// npi (the shared contract's claim names) in the id token and the access token (aud <c>mgauth</c>, 5 minutes). Nowhere
/// else is any of it configured or mapped: in Production these addresses are 404.
/// </summary>
public static class DevIdentityServer
{
    public const string AuthorizePath = "/auth/authorize";
    public const string EndSessionPath = "/auth/logout";
    public const string UserInfoPath = "/auth/userinfo";

    /// <summary>A code's or refresh token's own id (never in an access or id token), so each is redeemed once: <see cref="UsedGrants"/>.</summary>
    public const string GrantClaim = "mgauth:grant";

    /// <summary>A console session lasts at most this long without signing in again (each access token still lives 5 minutes).</summary>
    public static readonly TimeSpan RefreshTokenLifetime = TimeSpan.FromHours(8);

    private static readonly string[] OfferedScopes = [Scopes.OpenId, Scopes.Profile, Scopes.Roles, Scopes.OfflineAccess];

    public static IServiceCollection AddDevIdentity(this IServiceCollection services, StaffAuthority staff)
    {
        if (!staff.Embedded) return services;
        services.AddSingleton<DemoPeople>();
        services.AddSingleton<UsedGrants>();
        services.AddAntiforgery();
        services.AddOpenIddict().AddServer(server =>
        {
            server.SetAuthorizationEndpointUris(AuthorizePath.TrimStart('/'))
                .SetEndSessionEndpointUris(EndSessionPath.TrimStart('/'))
                .SetUserInfoEndpointUris(UserInfoPath.TrimStart('/'));
            server.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange();
            server.Configure(o => o.CodeChallengeMethods.Remove(CodeChallengeMethods.Plain));
            server.AllowRefreshTokenFlow().SetRefreshTokenLifetime(RefreshTokenLifetime);
            server.RegisterScopes(OfferedScopes);
            server.AddEventHandler(ConsoleAuthorizationRules.Descriptor);
            server.AddEventHandler(ConsoleTokenRules.Descriptor);
            server.AddEventHandler(ConsoleEndSessionRules.Descriptor);
            server.UseAspNetCore()
                .EnableAuthorizationEndpointPassthrough()
                .EnableEndSessionEndpointPassthrough()
                .EnableUserInfoEndpointPassthrough();
        });
        return services;
    }

    public static IEndpointRouteBuilder MapDevIdentity(this IEndpointRouteBuilder routes)
    {
        if (!routes.ServiceProvider.GetRequiredService<StaffAuthority>().Embedded) return routes;
        string[] getOrPost = [HttpMethods.Get, HttpMethods.Post];
        routes.MapMethods(AuthorizePath, getOrPost, AuthorizeAsync).AllowAnonymous().ExcludeFromDescription();
        routes.MapMethods(EndSessionPath, getOrPost, SignOut).AllowAnonymous().ExcludeFromDescription();
        routes.MapMethods(UserInfoPath, getOrPost, (Delegate)UserInfoAsync).AllowAnonymous().ExcludeFromDescription();
        return routes;
    }

    /// <summary>In Development with the demo seeded: the people written to data/demo-people.txt and printed, the first time.</summary>
    public static async Task WriteDemoPeopleAsync(this WebApplication app)
    {
        var staff = app.Services.GetRequiredService<StaffAuthority>();
        if (!staff.Embedded || !app.Configuration.GetValue("Demo:Seed", true)) return;
        await app.Services.GetRequiredService<DemoPeople>().WriteOnceAsync(
            app.Configuration["Demo:PeopleFile"] ?? Path.Combine(Folders.Data(), "demo-people.txt"), staff.Issuer!);
    }

    // Reached only for a request OpenIddict validated: the console's client id and redirect URI, response_type code, a
    // PKCE challenge. Without a choice it is the login page; the page posts the same request back with the person chosen.
    private static async Task<IResult> AuthorizeAsync(HttpContext http, IAntiforgery antiforgery)
    {
        var request = http.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("not an OpenIddict authorization request");
        var chosen = HttpMethods.IsPost(http.Request.Method) ? (string?)request[LoginPage.PersonField] : null;
        if (chosen is null)
        {
            if (request.HasPromptValue(PromptValues.None))
                return SmartServer.Refuse(Errors.LoginRequired, "The development provider keeps no session: choose a person on its page.");
            var tokens = antiforgery.GetAndStoreTokens(http);
            return LoginPage.Render(http, request.GetParameters().Select(p => KeyValuePair.Create(p.Key, (string?)p.Value)),
                tokens.FormFieldName, tokens.RequestToken!);
        }
        try
        {
            await antiforgery.ValidateRequestAsync(http);
        }
        catch (AntiforgeryValidationException)
        {
            var field = antiforgery.GetTokens(http).FormFieldName;
            return Problems.For(new Refusal(RefusalKind.InvalidRequest, "The sign-in was not sent from this service's page",
                "Choose a person on the sign-in page itself.") { Errors = new Dictionary<string, string[]> { [field] = ["missing or not valid"] } });
        }
        if (DemoPeople.Find(chosen) is not { } person)
            return Problems.For(new Refusal(RefusalKind.InvalidRequest, "No such person", "Choose one of the people the page lists.")
            {
                Errors = new Dictionary<string, string[]> { [LoginPage.PersonField] = [$"one of {string.Join(", ", DemoPeople.All.Select(p => p.Subject))}"] },
            });
        return SignIn(person, request.GetScopes());
    }

    /// <summary>
    /// The token endpoint's code and refresh grants, after OpenIddict checked the code (its client, redirect URI and PKCE
    /// verifier) or the refresh token: each is redeemed once, and the person is read again (one removed gets nothing more).
    /// </summary>
    public static async Task<IResult> ExchangeAsync(HttpContext http)
    {
        var redeemed = (await http.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme)).Principal;
        var used = http.RequestServices.GetRequiredService<UsedGrants>();
        var clock = http.RequestServices.GetRequiredService<TimeProvider>();
        if (redeemed?.GetClaim(GrantClaim) is not { } grant
            || !used.Use(grant, redeemed.GetExpirationDate() ?? clock.GetUtcNow() + RefreshTokenLifetime))
            return SmartServer.Refuse(Errors.InvalidGrant, "This authorization code or refresh token was used before.");
        if (DemoPeople.Find(redeemed.GetClaim(Claims.Subject)) is not { } person)
            return SmartServer.Refuse(Errors.InvalidGrant, "The person is no longer known to the provider.");
        return SignIn(person, redeemed.GetScopes());
    }

    private static IResult SignIn(DemoPerson person, IEnumerable<string> scopes)
    {
        var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, TokenClaims.Name, TokenClaims.Role);
        identity.SetClaim(Claims.Subject, person.Subject)
            .SetClaim(TokenClaims.Name, person.Name)
            .SetClaim(TokenClaims.Role, person.Role)
            .SetClaim(TokenClaims.Organization, person.OrganizationId)
            .SetClaim(TokenClaims.Npi, person.Npi)
            .SetClaim(GrantClaim, Guid.NewGuid().ToString("N"));
        identity.SetScopes(scopes.Intersect(OfferedScopes));
        identity.SetResources(SmartOptions.Audience);
        identity.SetDestinations(static claim => claim.Type == GrantClaim ? [] : [Destinations.AccessToken, Destinations.IdentityToken]);
        return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private static async Task<IResult> UserInfoAsync(HttpContext http)
    {
        var token = (await http.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme)).Principal;
        if (DemoPeople.Find(token?.GetClaim(Claims.Subject)) is not { } person)
            return Results.Challenge(new AuthenticationProperties(new Dictionary<string, string?>
            {
                [OpenIddictServerAspNetCoreConstants.Properties.Error] = Errors.InvalidToken,
                [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = "The person is no longer known to the provider.",
            }), [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
        var claims = new Dictionary<string, string>
        {
            [Claims.Subject] = person.Subject,
            [TokenClaims.Name] = person.Name,
            [TokenClaims.Role] = person.Role,
            [TokenClaims.Organization] = person.OrganizationId,
        };
        if (person.Npi is not null) claims[TokenClaims.Npi] = person.Npi;
        return Results.Ok(claims);
    }

    // No session is kept here (each sign-in is a choice on the page): signing out only returns to the console.
    private static IResult SignOut() =>
        Results.SignOut(new AuthenticationProperties { RedirectUri = "/" }, [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
}
