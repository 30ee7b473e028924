using MgAuth.Cases.Smart;
using Microsoft.IdentityModel.JsonWebTokens;
using JsonWebTokenTypes = OpenIddict.Abstractions.OpenIddictConstants.JsonWebTokenTypes;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace MgAuth.Api.Smart;

/// <summary>
/// OpenIddict validates a client assertion (signature, iss = sub, aud, exp) itself; in degraded mode it asks the host for
/// the keys. These are the registered JWKS of the active client the assertion names as its issuer, and only RS384 and
/// ES384 verify (so HS256, <c>none</c> and RS256 fail whatever the key). A revoked or unknown client has no keys.
/// <c>JsonWebTokenTypes</c> here is OpenIddict's (the typ values), not IdentityModel's.
/// </summary>
public sealed class ClientAssertionKeys(SmartClientStore clients) : IOpenIddictServerHandler<ValidateTokenContext>
{
    public static readonly string[] Algorithms = [SecurityAlgorithms.RsaSha384, SecurityAlgorithms.EcdsaSha384];

    public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateTokenContext>()
        .UseScopedHandler<ClientAssertionKeys>()
        .SetOrder(OpenIddictServerHandlers.Protection.ResolveTokenValidationParameters.Descriptor.Order + 1)
        .SetType(OpenIddictServerHandlerType.Custom)
        .Build();

    public async ValueTask HandleAsync(ValidateTokenContext context)
    {
        if (context.ValidTokenTypes.Count != 1 || !context.ValidTokenTypes.Contains(TokenTypeIdentifiers.Private.ClientAssertion)) return;
        var parameters = context.TokenValidationParameters;
        parameters.ValidAlgorithms = Algorithms;
        // SMART fixes the assertion's typ to JWT; OpenIddict 7 expects RFC 7523bis's client-authentication+jwt. Either passes.
        parameters.ValidTypes = [JsonWebTokenTypes.GenericJsonWebToken, JsonWebTokenTypes.ClientAuthentication];
        parameters.IssuerSigningKeys = [];
        // OpenIddict 7 takes the issuer as the assertion's audience (RFC 7523bis); SMART's is the token endpoint's URL.
        if ((context.Options.Issuer ?? context.BaseUri) is { } root)
            context.ValidAudiences.Add(new Uri(root, SmartOptions.TokenPath.TrimStart('/')).AbsoluteUri);
        // The issuer is read unverified only to find whose keys to verify with.
        if (!context.SecurityTokenHandler.CanReadToken(context.Token)) return;
        var issuer = new JsonWebToken(context.Token).Issuer;
        if (string.IsNullOrEmpty(issuer) || await clients.FindAsync(issuer) is not { Active: true } client) return;
        parameters.IssuerSigningKeys = new JsonWebKeySet(client.Jwks).GetSigningKeys();
    }
}
