using System.Security.Claims;
using System.Security.Cryptography;
using MgAuth.Api.Security;
using MgAuth.Cases.Security;
using MgAuth.Cases.Smart;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using Microsoft.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace MgAuth.Api.Smart;

/// <summary>
/// SMART Backend Services on OpenIddict's server: <c>client_credentials</c> with <c>private_key_jwt</c> at
/// <see cref="SmartOptions.TokenPath"/>, the discovery document, and the tokens' validation on /fhir and /v1.
/// OpenIddict runs in degraded mode: clients live in smart_clients (MgAuth's own table, registered by the CLI), and the
/// two handlers that read it (<see cref="ClientAssertionKeys"/>, <see cref="ClientAssertionRules"/>) are all the
/// client authentication written here; the JWT work (signature, algorithms, iss = sub, aud, exp, the token itself) is
/// OpenIddict's and Microsoft.IdentityModel's.
/// </summary>
public static class SmartServer
{
    public static IServiceCollection AddSmartBackendServices(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(SmartOptions.Section).Get<SmartOptions>() ?? new SmartOptions();
        services.Configure<SmartOptions>(configuration.GetSection(SmartOptions.Section));
        services.AddSingleton<SmartClientStore>();
        services.AddSingleton<SmartClients>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, SmartScopeRules>();
        services.AddOpenIddict()
            .AddServer(server =>
            {
                server.EnableDegradedMode();
                server.SetTokenEndpointUris(SmartOptions.TokenPath.TrimStart('/'));
                server.SetJsonWebKeySetEndpointUris(".well-known/jwks");
                server.AllowClientCredentialsFlow();
                server.RegisterScopes([.. SmartScopes.All]);
                server.SetAccessTokenLifetime(SmartOptions.TokenLifetime);
                // Resource servers (this service, and any other) read the token without a decryption key.
                server.DisableAccessTokenEncryption();
                if (options.Issuer is { Length: > 0 } issuer) server.SetIssuer(new Uri(issuer));
                if (options.SigningKeyFile is { Length: > 0 } file) server.AddSigningKey(SigningKey(file));
                else server.AddEphemeralSigningKey();
                server.AddEphemeralEncryptionKey();
                server.AddEventHandler(ClientAssertionKeys.Descriptor);
                server.AddEventHandler(SmartAssertionType.Descriptor);
                server.AddEventHandler(ClientAssertionRules.Descriptor);
                server.AddEventHandler(SmartTokenErrors.Descriptor);
                var aspNetCore = server.UseAspNetCore().EnableTokenEndpointPassthrough();
                if (!options.RequireHttps) aspNetCore.DisableTransportSecurityRequirement();
            })
            .AddValidation(validation =>
            {
                validation.UseLocalServer();
                validation.AddAudiences(SmartOptions.Audience);
                validation.UseAspNetCore();
            });
        return services;
    }

    public static IEndpointRouteBuilder MapSmart(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/.well-known/smart-configuration", Configuration).AllowAnonymous().WithTags("SMART Backend Services")
            .WithSummary("SMART configuration: the token endpoint, client_credentials with private_key_jwt (RS384, ES384), the system scopes");
        routes.MapPost(SmartOptions.TokenPath, ExchangeAsync).AllowAnonymous().WithTags("SMART Backend Services").ExcludeFromDescription();
        return routes;
    }

    private static Ok<SmartConfiguration> Configuration(HttpRequest request, IOptions<SmartOptions> options)
    {
        var issuer = (options.Value.Issuer is { Length: > 0 } configured ? configured : $"{request.Scheme}://{request.Host}{request.PathBase}").TrimEnd('/');
        return TypedResults.Ok(new SmartConfiguration(
            issuer,
            issuer + SmartOptions.TokenPath,
            issuer + "/.well-known/jwks",
            ["client_credentials"],
            ["private_key_jwt"],
            ClientAssertionKeys.Algorithms,
            SmartScopes.All,
            ["client-confidential-asymmetric"]));
    }

    // Reached only for a request OpenIddict has validated: client_credentials, and (ClientAssertionRules) an active client
    // whose fresh assertion verified against its keys.
    private static async Task<IResult> ExchangeAsync(HttpContext http, SmartClientStore clients)
    {
        var request = http.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("not an OpenIddict token request");
        // The code and refresh grants exist only where the embedded development provider signs staff in.
        if (!request.IsClientCredentialsGrantType()) return await DevIdentity.DevIdentityServer.ExchangeAsync(http);
        if (request.ClientId is not { } clientId || await clients.FindAsync(clientId) is not { Active: true } client)
            return Refuse(Errors.InvalidClient, "The client is not registered, or it was revoked.");
        var granted = SmartScopes.Granted(request.GetScopes(), client.ScopeList);
        if (granted.Count == 0)
            return Refuse(Errors.InvalidScope, $"None of the requested scopes is registered for this client (it may have: {client.Scopes}).");

        var identity = new ClaimsIdentity(SmartTokenAuthenticationHandler.SchemeName, Claims.Name, TokenClaims.Role);
        identity.SetClaim(Claims.Subject, client.Id)
            .SetClaim(TokenClaims.Name, client.Name)
            .SetClaim(TokenClaims.Role, Roles.Provider)
            .SetClaim(TokenClaims.Organization, client.OrganizationId)
            .SetClaim(TokenClaims.Npi, client.Npi);
        identity.SetScopes(granted);
        identity.SetResources(SmartOptions.Audience);
        identity.SetDestinations(static _ => [Destinations.AccessToken]);
        return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    internal static IResult Refuse(string error, string description) => Results.Forbid(new AuthenticationProperties(new Dictionary<string, string?>
    {
        [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
        [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
    }), [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);

    private static SecurityKey SigningKey(string file)
    {
        var rsa = RSA.Create();
        rsa.ImportFromPem(File.ReadAllText(file));
        return new RsaSecurityKey(rsa) { KeyId = Base64UrlEncoder.Encode(SHA256.HashData(rsa.ExportRSAPublicKey()))[..16] };
    }
}

/// <summary>The SMART configuration document (<c>/.well-known/smart-configuration</c>), as SMART App Launch 2 names its fields.</summary>
public sealed record SmartConfiguration(
    [property: System.Text.Json.Serialization.JsonPropertyName("issuer")] string Issuer,
    [property: System.Text.Json.Serialization.JsonPropertyName("token_endpoint")] string TokenEndpoint,
    [property: System.Text.Json.Serialization.JsonPropertyName("jwks_uri")] string JwksUri,
    [property: System.Text.Json.Serialization.JsonPropertyName("grant_types_supported")] IReadOnlyList<string> GrantTypesSupported,
    [property: System.Text.Json.Serialization.JsonPropertyName("token_endpoint_auth_methods_supported")] IReadOnlyList<string> TokenEndpointAuthMethodsSupported,
    [property: System.Text.Json.Serialization.JsonPropertyName("token_endpoint_auth_signing_alg_values_supported")] IReadOnlyList<string> TokenEndpointAuthSigningAlgValuesSupported,
    [property: System.Text.Json.Serialization.JsonPropertyName("scopes_supported")] IReadOnlyList<string> ScopesSupported,
    [property: System.Text.Json.Serialization.JsonPropertyName("capabilities")] IReadOnlyList<string> Capabilities);
