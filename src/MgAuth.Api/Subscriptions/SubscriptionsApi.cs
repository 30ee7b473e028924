using System.Globalization;
using System.Text.Json;
using Hl7.Fhir.Model;
using Task = System.Threading.Tasks.Task;
using MgAuth.Api.Authorizations;
using MgAuth.Api.Fhir;
using MgAuth.Api.Infrastructure;
using MgAuth.Api.Security;
using MgAuth.Cases.Data;
using MgAuth.Cases.Subscriptions;
using MgAuth.Domain.Requests;
using MgAuth.Fhir;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace MgAuth.Api.Subscriptions;

/// <summary>One notification of a subscription and every attempt to deliver it (GET /v1/subscriptions/{id}/deliveries).</summary>
public sealed record NotificationDeliveries(long Id, string Kind, string? AuthorizationId, long EventNumber, DateTimeOffset CreatedAt, string Status,
    DateTimeOffset? DeliveredAt, IReadOnlyList<DeliveryAttempt> Attempts);

public sealed record DeliveryAttempt(long Attempt, DateTimeOffset At, long? HttpStatus, string? Error, long ElapsedMs);

/// <summary>
/// The PAS subscription: a provider organization asks to be told (rest-hook) when its pended requests are decided.
/// It subscribes for itself only; another organization's subscription answers as one that does not exist.
/// </summary>
public static class SubscriptionsApi
{
    public static IEndpointRouteBuilder MapSubscriptions(this IEndpointRouteBuilder routes)
    {
        var fhir = routes.MapGroup("/fhir/Subscription").WithTags("FHIR (Da Vinci PAS)");
        fhir.MapPost("/", CreateAsync).RequireAuthorization(Access.Providers)
            .WithSummary("Subscribe to the PAS topic: notifications (full ClaimResponse) POSTed to the endpoint when a pended request is decided");
        fhir.MapGet("/{id}", ReadAsync).RequireAuthorization(Access.CaseReaders).ForTenancy(Tenancy.Visible, NotFound)
            .WithSummary("A subscription as stored (its headers are never shown)");
        fhir.MapGet("/{id}/$status", StatusAsync).RequireAuthorization(Access.CaseReaders).ForTenancy(Tenancy.Visible, NotFound)
            .WithSummary("The subscription's status (backport SubscriptionStatus): events so far and why recent deliveries failed");
        fhir.MapDelete("/{id}", EndAsync).RequireAuthorization(Access.Providers).ForTenancy(Tenancy.OwnOrganization, NotFound)
            .WithSummary("End a subscription: nothing more is sent");
        routes.MapGet("/v1/subscriptions/{id}/deliveries", DeliveriesAsync).WithTags("Subscriptions").RequireAuthorization(Access.CaseReaders)
            .ForTenancy(Tenancy.Visible, () => Problems.NotFound("subscription"))
            .WithSummary("Every notification of a subscription, newest first, with each delivery attempt (HTTP status or why it failed)");
        return routes;
    }

    private static async Task<Results<FhirResponse<Subscription>, FhirResponse<OperationOutcome>>> CreateAsync(HttpRequest http, Caller caller,
        SubscriptionStore store, OrganizationIdentifiers identifiers, IOptions<SubscriptionOptions> options, IOptions<RequestLimits> limits,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        var (json, refusal) = await FhirBody.ReadAsync(http, limits.Value);
        if (refusal is not null) return refusal;
        var (request, problems) = PasSubscriptionReader.Read(json!);
        if (request is not null && EndpointGuard.Refusal(request.Endpoint, options.Value.AllowPrivateEndpoints) is { } unsafeEndpoint)
            problems = [new FhirProblem("Subscription.channel.endpoint", unsafeEndpoint)];
        if (request is null || problems.Length > 0) return FhirResponse.Problems(StatusCodes.Status400BadRequest, problems);

        // An identifier of another organization is answered as one that names nobody: both are not the caller's.
        if (request.OrgIdentifier is { } organization && !await identifiers.NamesAsync(caller.OrganizationId, organization, cancellationToken))
            return FhirResponse.Refused(StatusCodes.Status403Forbidden, OperationOutcome.IssueType.Forbidden,
                "An organization subscribes to its own requests only: leave out the org-identifier filter or give one of your "
                + "organization's identifiers (an NPI or TIN recorded for it, or its MgAuth id).");

        var now = clock.GetUtcNow();
        var row = new SubscriptionRow
        {
            Id = Guid.NewGuid().ToString("D"),
            OrganizationId = caller.OrganizationId,
            CreatedBy = caller.KeyId,
            CreatedAt = now,
            Status = SubscriptionStore.Requested,
            Reason = request.Reason,
            Endpoint = request.Endpoint.AbsoluteUri,
            HeadersJson = JsonSerializer.Serialize(request.Headers),
            EndAt = request.End?.ToUniversalTime(),
        };
        // The limit is checked in the insert itself: concurrent creates never pass it.
        if (!await store.CreateAsync(row, options.Value.MaxPerOrganization, cancellationToken))
            return FhirResponse.Refused(StatusCodes.Status422UnprocessableEntity, OperationOutcome.IssueType.TooCostly,
                $"An organization may hold {options.Value.MaxPerOrganization} subscriptions at once; end one first (DELETE /fhir/Subscription/{{id}}).");
        return FhirResponse.Created(PasSubscriptions.Resource(NotificationDispatcher.View(row)), $"/fhir/Subscription/{row.Id}");
    }

    private static Results<FhirResponse<Subscription>, FhirResponse<OperationOutcome>> ReadAsync(RoutedSubscription routed) =>
        FhirResponse.Ok(PasSubscriptions.Resource(NotificationDispatcher.View(routed.Row)));

    private static async Task<Results<FhirResponse<Parameters>, FhirResponse<OperationOutcome>>> StatusAsync(RoutedSubscription routed,
        SubscriptionStore store, CancellationToken cancellationToken)
    {
        var row = routed.Row;
        var recent = await store.DeliveriesAsync(row.Id, 10, cancellationToken);
        var errors = recent.Where(n => n.Notification.Status != "delivered")
            .SelectMany(n => n.Attempts.TakeLast(1))
            .Select(a => a.HttpStatus is { } status ? $"the endpoint answered HTTP {status}" : a.Error!)
            .Distinct();
        return FhirResponse.Ok(PasSubscriptions.Status(NotificationDispatcher.View(row), PasSubscriptions.QueryStatus, errors));
    }

    private static async Task<Results<NoContent, FhirResponse<OperationOutcome>>> EndAsync(RoutedSubscription routed, SubscriptionStore store,
        CancellationToken cancellationToken)
    {
        await store.EndAsync(routed.Row.Id, cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<NotificationDeliveries[]>, JsonHttpResult<ProblemDocument>>> DeliveriesAsync(RoutedSubscription routed,
        SubscriptionStore store, CancellationToken cancellationToken)
    {
        var deliveries = await store.DeliveriesAsync(routed.Row.Id, 100, cancellationToken);
        return TypedResults.Ok(deliveries.Select(d => new NotificationDeliveries(d.Notification.Id, d.Notification.Kind, d.Notification.AuthorizationId,
            d.Notification.EventNumber, d.Notification.CreatedAt, d.Notification.Status, d.Notification.DeliveredAt,
            d.Attempts.Select(a => new DeliveryAttempt(a.Attempt, a.At, a.HttpStatus, a.Error, a.ElapsedMs)).ToArray())).ToArray());
    }

    // Another organization's subscription is answered exactly as one that does not exist.
    private static FhirResponse<OperationOutcome> NotFound() =>
        FhirResponse.Refused(StatusCodes.Status404NotFound, OperationOutcome.IssueType.NotFound, "There is no Subscription you can see with that id.");
}
