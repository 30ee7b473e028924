using System.Security.Cryptography;
using System.Text;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace MgAuth.Api.DevIdentity;

/// <summary>The one client of the embedded provider: the console, signing staff in with the code flow and PKCE.</summary>
public static class ConsoleClient
{
    public const string Id = "mgauth-console";
}

/// <summary>
/// In degraded mode OpenIddict knows no clients, so the host says which are allowed. At the authorization endpoint: only
/// the console, only with its exact redirect URI (a mismatch is answered here, never redirected to), and only with a PKCE
/// challenge (S256).
/// </summary>
public sealed class ConsoleAuthorizationRules(StaffAuthority staff) : IOpenIddictServerHandler<ValidateAuthorizationRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateAuthorizationRequestContext>()
        .UseSingletonHandler<ConsoleAuthorizationRules>()
        .SetOrder(OpenIddictServerHandlers.Authentication.ValidateClientRedirectUri.Descriptor.Order)
        .SetType(OpenIddictServerHandlerType.Custom)
        .Build();

    public ValueTask HandleAsync(ValidateAuthorizationRequestContext context)
    {
        if (context.ClientId != ConsoleClient.Id)
            context.Reject(Errors.InvalidClient, $"The only client of the development provider is {ConsoleClient.Id}.");
        else if (context.Request.RedirectUri != staff.ConsoleRedirectUri)
            context.Reject(Errors.InvalidRequest, $"The redirect_uri must be {staff.ConsoleRedirectUri}.");
        // OpenIddict's own PKCE requirement is per client in degraded mode, i.e. never: it is asked here, S256 only.
        else if (string.IsNullOrEmpty(context.Request.CodeChallenge) || context.Request.CodeChallengeMethod != CodeChallengeMethods.Sha256)
            context.Reject(Errors.InvalidRequest, "A PKCE code_challenge with code_challenge_method S256 is required.");
        else
            context.SetRedirectUri(staff.ConsoleRedirectUri);
        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// At the token endpoint, the code and refresh grants belong to the console alone (a SMART client has client_credentials
/// only), with <c>Staff:ClientSecret</c> when one is configured and none otherwise (a public client: PKCE protects the code).
/// </summary>
public sealed class ConsoleTokenRules(IConfiguration configuration) : IOpenIddictServerHandler<ValidateTokenRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateTokenRequestContext>()
        .UseSingletonHandler<ConsoleTokenRules>()
        .SetOrder(OpenIddictServerHandlers.Exchange.ValidateAuthentication.Descriptor.Order - 1)
        .SetType(OpenIddictServerHandlerType.Custom)
        .Build();

    public ValueTask HandleAsync(ValidateTokenRequestContext context)
    {
        if (!context.Request.IsAuthorizationCodeGrantType() && !context.Request.IsRefreshTokenGrantType()) return ValueTask.CompletedTask;
        if (context.ClientId != ConsoleClient.Id)
        {
            context.Reject(Errors.InvalidClient, $"Only {ConsoleClient.Id} redeems codes and refresh tokens here.");
            return ValueTask.CompletedTask;
        }
        var expected = configuration["Staff:ClientSecret"] is { Length: > 0 } secret ? secret : null;
        var sent = context.Request.ClientSecret;
        var matches = expected is null ? string.IsNullOrEmpty(sent)
            : sent is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(sent), Encoding.UTF8.GetBytes(expected));
        if (!matches) context.Reject(Errors.InvalidClient, "The client secret is wrong.");
        return ValueTask.CompletedTask;
    }
}

/// <summary>At the end-session endpoint, the only place to return to is the console.</summary>
public sealed class ConsoleEndSessionRules(StaffAuthority staff) : IOpenIddictServerHandler<ValidateEndSessionRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateEndSessionRequestContext>()
        .UseSingletonHandler<ConsoleEndSessionRules>()
        .SetOrder(OpenIddictServerHandlers.Session.ValidateClientPostLogoutRedirectUri.Descriptor.Order)
        .SetType(OpenIddictServerHandlerType.Custom)
        .Build();

    public ValueTask HandleAsync(ValidateEndSessionRequestContext context)
    {
        if (context.PostLogoutRedirectUri is not { Length: > 0 } uri) return ValueTask.CompletedTask;
        if (!staff.ConsolePostLogoutUris.Contains(uri))
            context.Reject(Errors.InvalidRequest, $"The post_logout_redirect_uri must be one of {string.Join(", ", staff.ConsolePostLogoutUris)}.");
        else
            context.SetPostLogoutRedirectUri(uri);
        return ValueTask.CompletedTask;
    }
}
