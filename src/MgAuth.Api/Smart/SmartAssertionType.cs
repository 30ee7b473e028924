using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace MgAuth.Api.Smart;

/// <summary>
/// SMART fixes a client assertion's <c>typ</c> to <c>JWT</c>, which OpenIddict 7 reads as an identity token's type (it
/// expects RFC 7523bis's <c>client-authentication+jwt</c>). Where only a client assertion is valid and the assertion
/// verified against the client's own keys (<see cref="ClientAssertionKeys"/>), it is taken as the client assertion it is.
/// </summary>
public sealed class SmartAssertionType : IOpenIddictServerHandler<ValidateTokenContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateTokenContext>()
        .UseSingletonHandler<SmartAssertionType>()
        .SetOrder(OpenIddictServerHandlers.Protection.ValidateIdentityModelToken.Descriptor.Order + 1)
        .SetType(OpenIddictServerHandlerType.Custom)
        .Build();

    public ValueTask HandleAsync(ValidateTokenContext context)
    {
        if (context.ValidTokenTypes.Count == 1 && context.ValidTokenTypes.Contains(TokenTypeIdentifiers.Private.ClientAssertion)
            && context.Principal is { } principal && principal.HasTokenType(TokenTypeIdentifiers.IdentityToken))
            principal.SetTokenType(TokenTypeIdentifiers.Private.ClientAssertion);
        return ValueTask.CompletedTask;
    }
}
