using MgAuth.Cases.Security;
using MgAuth.Cases.Smart;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace MgAuth.Api.Smart;

/// <summary>
/// What SMART asks of a token request beyond what OpenIddict checks: the client authenticates with an assertion (no
/// other way), it is registered and active, the assertion's exp is at most five minutes ahead, and its jti is used once.
/// Every failure is <c>invalid_client</c> (401), as the SMART Backend Services guide says.
/// </summary>
public sealed class ClientAssertionRules(SmartClientStore clients, UsedTokenIds usedIds, TimeProvider clock) : IOpenIddictServerHandler<ProcessAuthenticationContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<ProcessAuthenticationContext>()
        .UseScopedHandler<ClientAssertionRules>()
        .SetOrder(OpenIddictServerHandlers.ValidateClientId.Descriptor.Order + 1)
        .SetType(OpenIddictServerHandlerType.Custom)
        .Build();

    public async ValueTask HandleAsync(ProcessAuthenticationContext context)
    {
        if (context.EndpointType != OpenIddictServerEndpointType.Token || !context.Request.IsClientCredentialsGrantType()) return;
        if (context.ClientAssertionPrincipal is not { } assertion)
        {
            Refuse(context, "Authenticate with a client assertion (client_assertion_type urn:ietf:params:oauth:client-assertion-type:jwt-bearer).");
            return;
        }
        var clientId = assertion.GetClaim(Claims.Issuer);
        if (clientId is null || await clients.FindAsync(clientId) is not { Active: true })
        {
            Refuse(context, "The client is not registered, or it was revoked.");
            return;
        }
        var now = clock.GetUtcNow();
        if (assertion.GetExpirationDate() is not { } expires || expires > now + SmartOptions.MaxAssertionLifetime + TimeSpan.FromSeconds(30))
        {
            Refuse(context, "The assertion's exp must be at most five minutes ahead.");
            return;
        }
        if (assertion.GetClaim(Claims.JwtId) is not { Length: > 0 and <= 256 } jti)
        {
            Refuse(context, "The assertion needs a jti (at most 256 characters).");
            return;
        }
        if (!await usedIds.FirstUseAsync(clientId, jti, expires + TimeSpan.FromSeconds(30)))
            Refuse(context, "This assertion's jti was used before: sign a new assertion for every token request.");
    }

    private static void Refuse(ProcessAuthenticationContext context, string description) =>
        context.Reject(error: Errors.InvalidClient, description: description);
}
