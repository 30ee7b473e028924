using OpenIddict.Abstractions;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace MgAuth.Api.Smart;

/// <summary>
/// SMART Backend Services answers every failure to authenticate the client as <c>invalid_client</c> (401). In a
/// <c>client_credentials</c> request the only token is the client assertion, so OpenIddict's <c>invalid_token</c> or
/// <c>invalid_grant</c> there (an assertion for another audience, say) is said as <c>invalid_client</c>.
/// </summary>
public sealed class SmartTokenErrors : IOpenIddictServerHandler<ApplyTokenResponseContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<ApplyTokenResponseContext>()
        .UseSingletonHandler<SmartTokenErrors>()
        .SetOrder(OpenIddictServerAspNetCoreHandlers.AttachHttpResponseCode<ApplyTokenResponseContext>.Descriptor.Order - 1)
        .SetType(OpenIddictServerHandlerType.Custom)
        .Build();

    public ValueTask HandleAsync(ApplyTokenResponseContext context)
    {
        if (context.Request is { } request && request.IsClientCredentialsGrantType() && !string.IsNullOrEmpty(request.ClientAssertion)
            && context.Response.Error is Errors.InvalidToken or Errors.InvalidGrant)
            context.Response.Error = Errors.InvalidClient;
        return ValueTask.CompletedTask;
    }
}
