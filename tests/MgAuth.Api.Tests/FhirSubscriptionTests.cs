using System.Data.Common;
using System.Net;
using System.Text.Json.Nodes;
using Hl7.Fhir.Model;
using MgAuth.Api.Tests.Support;
using MgAuth.Fhir;
using static MgAuth.Api.Tests.Support.FhirCalls;
using Task = System.Threading.Tasks.Task;

namespace MgAuth.Api.Tests;

/// <summary>
/// The PAS subscription: an EHR subscribes (R5 backport, rest-hook, full-resource) and its endpoint — a real HTTP server
/// on loopback — receives a handshake, then the final ClaimResponse when a reviewer decides its pended request.
/// </summary>
public sealed class FhirSubscriptionTests(LoopbackSubscriptionsFactory factory) : IClassFixture<LoopbackSubscriptionsFactory>
{
    public static string SubscriptionJson(string endpoint, string? orgIdentifier = null, params string[] headers)
    {
        var subscription = new JsonObject
        {
            ["resourceType"] = "Subscription",
            ["status"] = "requested",
            ["reason"] = "Results of our pended IVIG requests",
            ["criteria"] = PasSubscriptions.Topic,
            ["channel"] = new JsonObject
            {
                ["type"] = "rest-hook",
                ["endpoint"] = endpoint,
                ["payload"] = "application/fhir+json",
                ["_payload"] = new JsonObject
                {
                    ["extension"] = new JsonArray(new JsonObject { ["url"] = PasSubscriptions.PayloadContentExtension, ["valueCode"] = "full-resource" }),
                },
            },
        };
        if (headers.Length > 0) subscription["channel"]!["header"] = new JsonArray(headers.Select(h => (JsonNode)h).ToArray());
        if (orgIdentifier is not null)
            subscription["_criteria"] = new JsonObject
            {
                ["extension"] = new JsonArray(new JsonObject { ["url"] = PasSubscriptions.FilterCriteriaExtension, ["valueString"] = $"orgIdentifier={orgIdentifier}" }),
            };
        return subscription.ToJsonString();
    }

    private static async Task<Subscription> SubscribeAsync(HttpClient client, string json)
    {
        using var response = await client.PostFhirAsync("/fhir/Subscription", json);
        var subscription = await response.ResourceAsync<Subscription>(HttpStatusCode.Created);
        Assert.Equal($"/fhir/Subscription/{subscription.Id}", response.Headers.Location?.ToString());
        return subscription;
    }

    private static Parameters StatusOf(Bundle notification)
    {
        Assert.Equal(Bundle.BundleType.History, notification.Type);
        return Assert.IsType<Parameters>(notification.Entry[0].Resource);
    }

    private static string? Value(Parameters parameters, string name) => parameters.Parameter.FirstOrDefault(p => p.Name == name)?.Value?.ToString();

    private async Task<string> PendedCaseAsync(HttpClient provider)
    {
        var submitted = ClaimResponseOf(await provider.SubmitFhirOkAsync(BundleOf(Examples.ForNewMember(Examples.OverCeiling))));
        Assert.Equal(["A4"], submitted.ReviewActions());
        return submitted.Id();
    }

    [Fact]
    public async Task A_pended_requests_final_ClaimResponse_reaches_the_subscriber_after_the_handshake()
    {
        await using var ehr = await NotificationReceiver.StartAsync();
        var subscription = await SubscribeAsync(factory.ProviderA,
            SubscriptionJson(ehr.Url, TestKeys.OrgA, "Authorization: Bearer ehr-secret-token"));
        Assert.Equal(Subscription.SubscriptionStatus.Requested, subscription.Status);
        Assert.Empty(subscription.Channel.Header);

        var handshake = await ehr.NextAsync();
        Assert.Equal("application/fhir+json", handshake.ContentType?.Split(';')[0]);
        Assert.Equal("Bearer ehr-secret-token", handshake.Headers["Authorization"]);
        Assert.Equal("handshake", Value(StatusOf(Parse<Bundle>(handshake.Body)), "type"));

        var id = await PendedCaseAsync(factory.ProviderA);
        await factory.Clinician().DetermineOkAsync(id, ReviewCalls.Approve());

        var received = await ehr.NextAsync();
        var notification = Parse<Bundle>(received.Body);
        var status = StatusOf(notification);
        Assert.Equal("event-notification", Value(status, "type"));
        Assert.Equal("active", Value(status, "status"));
        Assert.Equal("1", Value(status, "events-since-subscription-start"));
        Assert.Equal($"Subscription/{subscription.Id}", Assert.IsType<ResourceReference>(status.Parameter.Single(p => p.Name == "subscription").Value).Reference);
        var focus = status.Parameter.Single(p => p.Name == "notification-event").Part.Single(p => p.Name == "focus").Value as ResourceReference;
        Assert.Equal(notification.Entry[1].FullUrl, focus?.Reference);

        var response = ClaimResponseOf(Assert.IsType<Bundle>(notification.Entry[1].Resource));
        Assert.Equal(id, response.PreAuthRef);
        Assert.Equal(["A1"], response.ReviewActions());
        Assert.Equal(ClaimProcessingCodes.Complete, response.Outcome);
        AssertValid(notification);

        using var read = await factory.ProviderA.GetAsync($"/fhir/Subscription/{subscription.Id}");
        Assert.Equal(Subscription.SubscriptionStatus.Active, (await read.ResourceAsync<Subscription>(HttpStatusCode.OK)).Status);
        Assert.DoesNotContain("ehr-secret-token", await read.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_reviewer_asking_for_documentation_is_a_result_too_still_A4()
    {
        await using var ehr = await NotificationReceiver.StartAsync();
        await SubscribeAsync(factory.ProviderA, SubscriptionJson(ehr.Url));
        await ehr.NextAsync();

        var id = await PendedCaseAsync(factory.ProviderA);
        await factory.Reviewer.DetermineOkAsync(id, ReviewCalls.RequestInformation("clinical.mgAdl"));

        var response = ClaimResponseOf(Assert.IsType<Bundle>(Parse<Bundle>((await ehr.NextAsync()).Body).Entry[1].Resource));
        Assert.Equal(id, response.PreAuthRef);
        Assert.Equal(["A4"], response.ReviewActions());
    }

    [Fact]
    public async Task A_failing_endpoint_is_tried_again_and_every_attempt_is_recorded()
    {
        await using var ehr = await NotificationReceiver.StartAsync();
        var subscription = await SubscribeAsync(factory.ProviderA, SubscriptionJson(ehr.Url));
        await ehr.NextAsync();
        ehr.FailFirst = 3;

        var id = await PendedCaseAsync(factory.ProviderA);
        await factory.Clinician().DetermineOkAsync(id, ReviewCalls.Approve());

        Assert.Equal(503, (await ehr.NextAsync()).AnsweredWith);
        Assert.Equal(503, (await ehr.NextAsync()).AnsweredWith);
        var third = await ehr.NextAsync();
        Assert.Equal(200, third.AnsweredWith);
        Assert.Equal(id, ClaimResponseOf(Assert.IsType<Bundle>(Parse<Bundle>(third.Body).Entry[1].Resource)).PreAuthRef);

        // The attempt is recorded once the endpoint's answer is in: wait for it.
        JsonNode notification;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        do notification = (await DeliveriesAsync(factory.ProviderA, subscription.Id!)).Single(n => (string?)n!["kind"] == "event-notification")!;
        while ((string?)notification["status"] != "delivered" && DateTime.UtcNow < deadline && await Delay());
        Assert.Equal("delivered", (string?)notification["status"]);
        Assert.Equal([503, 503, 200], notification["attempts"]!.AsArray().Select(a => (int)a!["httpStatus"]!));
        using var scraped = await factory.Anonymous().GetAsync("/metrics");
        var metrics = await scraped.Content.ReadAsStringAsync();
        Assert.Contains("kind=\"event-notification\",result=\"retrying\"}", metrics);
        Assert.Contains("kind=\"event-notification\",result=\"delivered\"}", metrics);
        // The record of deliveries is append-only, as the audit trail is.
        var notificationId = (long)notification["id"]!;
        Assert.ThrowsAny<DbException>(() => factory.Execute("UPDATE deliveries SET http_status = 200 WHERE notification_id = @id", ("@id", notificationId)));
        Assert.ThrowsAny<DbException>(() => factory.Execute("DELETE FROM deliveries WHERE notification_id = @id", ("@id", notificationId)));
    }

    [Fact]
    public async Task An_endpoint_that_never_answers_is_given_up_and_the_subscription_says_why()
    {
        await using var ehr = await NotificationReceiver.StartAsync();
        ehr.FailFirst = int.MaxValue;
        var subscription = await SubscribeAsync(factory.ProviderA, SubscriptionJson(ehr.Url));
        for (var i = 0; i < 4; i++) await ehr.NextAsync();

        var deadline = DateTime.UtcNow.AddSeconds(30);
        Parameters status;
        do
        {
            await Task.Delay(200);
            using var response = await factory.ProviderA.GetAsync($"/fhir/Subscription/{subscription.Id}/$status");
            status = await response.ResourceAsync<Parameters>(HttpStatusCode.OK);
        } while (Value(status, "status") != "error" && DateTime.UtcNow < deadline);

        Assert.Equal("error", Value(status, "status"));
        Assert.Equal("the endpoint answered HTTP 503", Assert.IsType<CodeableConcept>(status.Parameter.Single(p => p.Name == "error").Value).Text);
        Assert.Null(await ehr.NothingWithinAsync(1));
    }

    [Fact]
    public async Task Another_organizations_decision_never_reaches_a_subscriber_and_its_subscriptions_cannot_be_seen()
    {
        await using var ehrA = await NotificationReceiver.StartAsync();
        await using var ehrB = await NotificationReceiver.StartAsync();
        var subscriptionA = await SubscribeAsync(factory.ProviderA, SubscriptionJson(ehrA.Url));
        await SubscribeAsync(factory.ProviderB, SubscriptionJson(ehrB.Url));
        await ehrA.NextAsync();
        await ehrB.NextAsync();

        var id = await PendedCaseAsync(factory.ProviderA);
        await factory.Clinician().DetermineOkAsync(id, ReviewCalls.Approve());

        await ehrA.NextAsync();
        Assert.Null(await ehrB.NothingWithinAsync(2));

        using var read = await factory.ProviderB.GetAsync($"/fhir/Subscription/{subscriptionA.Id}");
        using var missing = await factory.ProviderB.GetAsync($"/fhir/Subscription/{Guid.NewGuid():D}");
        Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
        Assert.Equal(await missing.Content.ReadAsStringAsync(), await read.Content.ReadAsStringAsync());
        using var end = await factory.ProviderB.DeleteAsync($"/fhir/Subscription/{subscriptionA.Id}");
        Assert.Equal(HttpStatusCode.NotFound, end.StatusCode);
        using var deliveries = await factory.ProviderB.GetAsync($"/v1/subscriptions/{subscriptionA.Id}/deliveries");
        Assert.Equal(HttpStatusCode.NotFound, deliveries.StatusCode);

        using var otherOrganization = await factory.ProviderB.PostFhirAsync("/fhir/Subscription", SubscriptionJson(ehrB.Url, TestKeys.OrgA));
        Assert.Equal(HttpStatusCode.Forbidden, otherOrganization.StatusCode);
    }

    [Fact]
    public async Task An_ended_subscription_is_told_nothing_more()
    {
        await using var ehr = await NotificationReceiver.StartAsync();
        var subscription = await SubscribeAsync(factory.ProviderA, SubscriptionJson(ehr.Url));
        await ehr.NextAsync();

        using var end = await factory.ProviderA.DeleteAsync($"/fhir/Subscription/{subscription.Id}");
        Assert.Equal(HttpStatusCode.NoContent, end.StatusCode);
        var id = await PendedCaseAsync(factory.ProviderA);
        await factory.Clinician().DetermineOkAsync(id, ReviewCalls.Approve());

        Assert.Null(await ehr.NothingWithinAsync(2));
        using var read = await factory.ProviderA.GetAsync($"/fhir/Subscription/{subscription.Id}");
        Assert.Equal(Subscription.SubscriptionStatus.Off, (await read.ResourceAsync<Subscription>(HttpStatusCode.OK)).Status);
    }

    [Fact]
    public async Task A_subscription_that_breaks_the_PAS_profile_is_refused_naming_each_path_and_nothing_is_stored()
    {
        var bad = JsonNode.Parse(SubscriptionJson("https://ehr.example.org/hook", null, "Host: internal.example", "not a header"))!;
        bad["criteria"] = "ClaimResponse?status=active";
        bad["channel"]!["type"] = "email";
        bad["channel"]!["_payload"]!["extension"]![0]!["valueCode"] = "id-only";

        using var response = await factory.ProviderA.PostFhirAsync("/fhir/Subscription", bad.ToJsonString());

        var paths = await response.OutcomePathsAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["Subscription.criteria", "Subscription.channel.type", "Subscription.channel.payload.extension",
            "Subscription.channel.header[0]", "Subscription.channel.header[1]"], paths);
        Assert.Equal(0, factory.ScalarLong("SELECT COUNT(*) FROM subscriptions WHERE endpoint = 'https://ehr.example.org/hook'"));
    }

    [Fact]
    public async Task A_header_smuggling_a_second_header_or_a_request_line_is_refused()
    {
        var smuggled = FhirSubscriptionTests.SubscriptionJson("https://ehr.example.org/hook", null,
            "X-Token: a\r\nHost: internal.example", "X-Other: b\nGET /admin HTTP/1.1");

        using var response = await factory.ProviderA.PostFhirAsync("/fhir/Subscription", smuggled);

        Assert.Equal(["Subscription.channel.header[0]", "Subscription.channel.header[1]"], await response.OutcomePathsAsync(HttpStatusCode.BadRequest));
    }

    private static async Task<bool> Delay()
    {
        await Task.Delay(100);
        return true;
    }

    private static async Task<JsonArray> DeliveriesAsync(HttpClient client, string id)
    {
        using var response = await client.GetAsync($"/v1/subscriptions/{id}/deliveries");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray();
    }
}
