using System.Text;
using System.Text.Json.Nodes;
using MgAuth.Api.Infrastructure;
using MgAuth.Api.Security;
using MgAuth.Cases;
using MgAuth.Domain.Requests;
using MgAuth.Fhir;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace MgAuth.Api.Crd;

/// <summary>
/// Da Vinci CRD over CDS Hooks 2.0: the discovery document and the order-sign service. The service takes the same
/// API keys and roles as POST /v1/evaluate, and an EHR's signed call (<see cref="SignedHookAuthenticationHandler"/>);
/// errors are RFC 9457 problem documents as on /v1 (CDS Hooks has none of its own). A clinical gap is an answer, not an
/// error; prefetch the EHR leaves out is read from its fhirServer (<see cref="FhirServerPrefetch"/>).
/// </summary>
internal static class CrdApi
{
    public static IEndpointRouteBuilder MapCrd(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/cds-services").WithTags("CRD (CDS Hooks)").RequireAuthorization(Access.AnyRole);
        group.MapGet("", Discovery).AllowAnonymous()
            .WithSummary("CDS Hooks discovery: MgAuth's order-sign service and the prefetch it needs");
        group.MapPost("/{id}", CallAsync)
            .WithSummary("order-sign: the coverage information for an IVIG draft order, decided without storing (as /v1/evaluate)")
            .Accepts<object>("application/json");
        return routes;
    }

    /// <summary>What an order-sign call needs besides its request.</summary>
    internal sealed record CallServices(OrderSignHook Hook, IOptions<RequestLimits> Limits, IOptions<CdsHooksOptions> Hooks, Caller Caller);

    private static JsonHttpResult<JsonObject> Discovery() => TypedResults.Json(new JsonObject
    {
        ["services"] = new JsonArray(new JsonObject
        {
            ["hook"] = OrderSignReader.Hook,
            ["id"] = OrderSignHook.ServiceId,
            ["title"] = "MgAuth IVIG coverage requirements",
            ["description"] = "Da Vinci CRD for IVIG in myasthenia gravis: whether the draft order is covered, that it needs prior "
                + "authorization, and exactly which documentation MgAuth's rules would still ask for, on the draft order as "
                + "coverage-information. Decided without storing anything; needs an MgAuth API key (Authorization: Bearer …) or, "
                + "from an EHR the payer has configured, a CDS Hooks 2.0 signed JWT (RS384/ES384).",
            ["prefetch"] = new JsonObject(OrderSignReader.Prefetch.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))),
            ["extension"] = new JsonObject { ["davinci-crd.configuration-options"] = OrderSignHook.ConfigurationOptions() },
        }),
    });

    // The public base URL: CdsHooks:Audience when configured, else the request's own (as the signed call's audience is).
    private static string ServiceBase(HttpRequest http, CdsHooksOptions hooks) =>
        hooks.Audience is { Length: > 0 } audience ? audience.TrimEnd('/') : $"{http.Scheme}://{http.Host.Value}{http.PathBase.Value}".TrimEnd('/');

    private static async Task<Results<JsonHttpResult<JsonObject>, JsonHttpResult<ProblemDocument>>> CallAsync(string id, HttpRequest http,
        [AsParameters] CallServices services, CancellationToken cancellationToken)
    {
        if (id != OrderSignHook.ServiceId)
            return Problems.For(new Refusal(RefusalKind.UnknownCdsService, "There is no such CDS service",
                $"MgAuth serves one CDS service, '{OrderSignHook.ServiceId}' (see GET /cds-services)."));
        var limit = services.Limits.Value.MaxFhirRequestBytes;
        var (body, refusal) = await RequestBody.ReadAsync(http, limit, "application/json", "application/fhir+json");
        return refusal switch
        {
            BodyRefusal.UnsupportedMediaType => Problems.For(new Refusal(RefusalKind.UnsupportedMediaType,
                "The body must be JSON", $"Send Content-Type: application/json (got '{http.ContentType ?? "none"}').")),
            BodyRefusal.TooLarge => Problems.For(new Refusal(RefusalKind.TooLarge, "The request is too large",
                $"A CDS Hooks request may be at most {limit} bytes.")),
            _ => await services.Hook.AnswerAsync(Encoding.UTF8.GetString(body!), services.Caller, ServiceBase(http, services.Hooks.Value), cancellationToken),
        };
    }
}
