using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using MgAuth.Api.Authorizations;
using MgAuth.Api.Fhir;
using MgAuth.Cases.Subscriptions;
using MgAuth.Cases.Telemetry;
using Hl7.Fhir.Serialization;
using MgAuth.Fhir;
using Microsoft.Extensions.Options;
using MgAuth.Cases.Authorizations;

namespace MgAuth.Api.Subscriptions;

/// <summary>
/// Sends the PAS notifications the outbox holds: every <see cref="SubscriptionOptions.PollSeconds"/> each replica
/// leases what is due, POSTs it to the subscriber's endpoint and records the attempt; a failure is tried again later
/// (<see cref="SubscriptionOptions.RetryAfter"/>) until <see cref="SubscriptionOptions.MaxAttempts"/>. An event
/// notification carries the case's PAS response Bundle as it stands when sent, in the provider's view.
/// </summary>
public sealed class NotificationDispatcher(
    SubscriptionStore store, PasAnswers answers, IHttpClientFactory clients, IOptions<SubscriptionOptions> options, TimeProvider clock,
    MgAuthTelemetry telemetry, ILogger<NotificationDispatcher> log) : BackgroundService
{
    public const string HttpClientName = "pas-notifications";

    private const int Batch = 20;

    private SubscriptionOptions Options => options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await DeliverDueAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // The exception type only: a message could quote a case.
                log.LogWarning("Delivering PAS notifications failed: {Error}", e.GetType().Name);
            }
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(Options.PollSeconds), stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Delivers what is due now, a batch at a time, until nothing is.</summary>
    public async Task DeliverDueAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var now = clock.GetUtcNow();
            if (!await store.AnyDueAsync(now, cancellationToken)) return;
            var lease = now.AddSeconds(Options.TimeoutSeconds + 60);
            var due = await store.TakeDueAsync(now, lease, Batch, cancellationToken);
            if (due.Count == 0) return;
            await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken },
                async (item, token) => await DeliverAsync(item.Notification, item.Subscription, token));
        }
    }

    private async Task DeliverAsync(NotificationRow notification, SubscriptionRow subscription, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var result = await NotificationAsync(notification, subscription, now, cancellationToken) is { } bundle
            ? await PostAsync(subscription, bundle, cancellationToken)
            : new DeliveryResult(null, "the case is no longer stored", 0);
        var retry = !result.Delivered && notification.Attempts < Options.MaxAttempts && subscription.Status != SubscriptionStore.Off
            ? clock.GetUtcNow() + Options.RetryAfter(notification.Attempts)
            : (DateTimeOffset?)null;
        await store.RecordAsync(notification, result, clock.GetUtcNow(), retry, cancellationToken);
        telemetry.NotificationAttempted(notification.Kind, result.Delivered ? "delivered" : retry is not null ? "retrying" : "given-up");
        if (!result.Delivered)
            log.LogInformation("PAS notification {Notification} of subscription {Subscription}: attempt {Attempt} failed ({Status})",
                notification.Id, subscription.Id, notification.Attempts, result.HttpStatus?.ToString(CultureInfo.InvariantCulture) ?? result.Error);
    }

    private async Task<Hl7.Fhir.Model.Bundle?> NotificationAsync(NotificationRow notification, SubscriptionRow subscription, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var view = View(subscription) with { EventCount = notification.EventNumber };
        if (notification.Kind == SubscriptionStore.Handshake) return PasSubscriptions.HandshakeNotification(view, now);
        var response = await answers.CurrentAsync(notification.AuthorizationId!, decision => ProviderView.Of(decision), cancellationToken);
        return response is null ? null : PasSubscriptions.EventNotificationOf(view, notification.EventNumber, response, now);
    }

    private async Task<DeliveryResult> PostAsync(SubscriptionRow subscription, Hl7.Fhir.Model.Bundle bundle, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, subscription.Endpoint)
        {
            Content = new StringContent(FhirResponse.Serializer.SerializeToString(bundle), Encoding.UTF8),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(PasSubscriptions.Payload) { CharSet = "utf-8" };
        foreach (var header in JsonSerializer.Deserialize<string[]>(subscription.HeadersJson) ?? [])
        {
            var colon = header.IndexOf(':');
            request.Headers.TryAddWithoutValidation(header[..colon].Trim(), header[(colon + 1)..].Trim());
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(Options.TimeoutSeconds));
        var watch = Stopwatch.StartNew();
        try
        {
            using var response = await clients.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            return new DeliveryResult((int)response.StatusCode, null, watch.ElapsedMilliseconds);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new DeliveryResult(null, $"no answer within {Options.TimeoutSeconds.ToString(CultureInfo.InvariantCulture)} s", watch.ElapsedMilliseconds);
        }
        catch (HttpRequestException e)
        {
            // The guard's own refusal is quoted; otherwise only the kind of failure (no host names or addresses).
            var why = e.Message == EndpointGuard.NotPublic || e.InnerException?.Message == EndpointGuard.NotPublic
                ? EndpointGuard.NotPublic
                : e.HttpRequestError switch
                {
                    HttpRequestError.NameResolutionError => "the endpoint's host name does not resolve",
                    HttpRequestError.ConnectionError => "the endpoint refused the connection",
                    HttpRequestError.SecureConnectionError => "the TLS handshake failed",
                    _ => "the request failed: " + e.HttpRequestError,
                };
            return new DeliveryResult(null, why, watch.ElapsedMilliseconds);
        }
    }

    public static SubscriptionView View(SubscriptionRow row) =>
        new(row.Id, row.Status, row.Reason, row.Endpoint, row.OrganizationId, row.EndAt, row.EventCount);
}
