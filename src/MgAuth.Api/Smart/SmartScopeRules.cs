using MgAuth.Api.Infrastructure;
using MgAuth.Cases;
using MgAuth.Cases.Smart;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Routing.Patterns;

namespace MgAuth.Api.Smart;

/// <summary>
/// The scope a SMART access token needs for each endpoint a provider's system may call, in one table. A token passes
/// the endpoint's role policy first; then, if its scopes lack the endpoint's, it is answered 403 naming the scope. An
/// endpoint not in the table takes no SMART token at all (API keys are not affected).
/// </summary>
public sealed class SmartScopeRules : IAuthorizationMiddlewareResultHandler
{
    private static readonly Dictionary<(string Method, string Route), string> Required = new()
    {
        [("POST", "/fhir/Claim/$submit")] = SmartScopes.ClaimWrite,
        // Who may submit a PAS request may ask for the questionnaire that goes with it.
        [("POST", "/fhir/Questionnaire/$questionnaire-package")] = SmartScopes.ClaimWrite,
        [("POST", "/v1/authorizations")] = SmartScopes.ClaimWrite,
        [("POST", "/v1/authorizations/{id}/supplements")] = SmartScopes.ClaimWrite,
        [("POST", "/v1/authorizations/{id}/appeals")] = SmartScopes.ClaimWrite,
        [("POST", "/v1/evaluate")] = SmartScopes.ClaimWrite,
        [("GET", "/v1/authorizations")] = SmartScopes.ClaimRead,
        [("GET", "/v1/authorizations/{id}")] = SmartScopes.ClaimRead,
        [("GET", "/v1/authorizations/{id}/explain")] = SmartScopes.ClaimRead,
        [("GET", "/v1/authorizations/{id}/request")] = SmartScopes.ClaimRead,
        [("GET", "/v1/authorizations/{id}/history")] = SmartScopes.ClaimRead,
        [("GET", "/v1/authorizations/{id}/notice")] = SmartScopes.ClaimRead,
        [("GET", "/v1/policies/")] = SmartScopes.ClaimRead,
        [("GET", "/v1/policies/{id}")] = SmartScopes.ClaimRead,
        [("POST", "/fhir/Claim/$inquire")] = SmartScopes.ClaimResponseRead,
        [("POST", "/fhir/Subscription/")] = SmartScopes.SubscriptionWrite,
        [("DELETE", "/fhir/Subscription/{id}")] = SmartScopes.SubscriptionWrite,
        [("GET", "/fhir/Subscription/{id}")] = SmartScopes.SubscriptionRead,
        [("GET", "/fhir/Subscription/{id}/$status")] = SmartScopes.SubscriptionRead,
        [("GET", "/v1/subscriptions/{id}/deliveries")] = SmartScopes.SubscriptionRead,
    };

    private readonly AuthorizationMiddlewareResultHandler _default = new();

    /// <summary>The scope a token needs for this endpoint; null when no scope lets a token call it.</summary>
    public static string? ScopeFor(string method, RoutePattern? route) =>
        route?.RawText is { } raw && Required.TryGetValue((method, raw), out var scope) ? scope : null;

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Succeeded && context.User.Identity?.AuthenticationType == SmartTokenAuthenticationHandler.SchemeName)
        {
            var needed = ScopeFor(context.Request.Method, (context.GetEndpoint() as RouteEndpoint)?.RoutePattern);
            if (needed is null || !context.User.HasClaim(SmartTokenAuthenticationHandler.ScopeClaim, needed))
            {
                var detail = needed is null ? "SMART access tokens are not accepted here; use an API key."
                    : $"This access token lacks the scope {needed}.";
                await Problems.For(new Refusal(RefusalKind.Forbidden, "The token's scopes do not allow this request", detail)).ExecuteAsync(context);
                return;
            }
        }
        await _default.HandleAsync(next, context, policy, authorizeResult);
    }
}
