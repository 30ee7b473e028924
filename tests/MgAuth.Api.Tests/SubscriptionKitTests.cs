using Hl7.Fhir.Model;
using MgAuth.Api.Fhir;
using MgAuth.Api.Tests.Support;
using MgAuth.Cases.Data;
using MgAuth.Fhir;
using Microsoft.Extensions.DependencyInjection;
using static MgAuth.Api.Tests.Support.FhirCalls;
using Task = System.Threading.Tasks.Task;

namespace MgAuth.Api.Tests;

/// <summary>
/// The Subscriptions R5 Backport test kit's server checks (inferno-framework/subscriptions-test-kit,
/// subscriptions_r5_backport_r4_server/*) replayed against the PAS subscription, each named after the check's id; the
/// PAS filter <c>org-identifier=</c> (and <c>orgIdentifier=</c>) by the NPI or TIN recorded on the subscriber's
/// organization — never another organization's; and the CapabilityStatement declaring PAS's server capability.
/// </summary>
public sealed class SubscriptionKitTests(MgAuthFactory factory) : IClassFixture<MgAuthFactory>
{
    private static readonly AuditActor Operator = new("test-operator", "operator", null);

    private const string NpiA = "1234567893";
    private const string TinA = "123456789";
    private const string NpiB = "1245319599";
    private const string Endpoint = "https://ehr.example.org/pas-notifications";

    private async Task IdentifyAsync()
    {
        var identifiers = factory.Services.GetRequiredService<OrganizationIdentifiers>();
        Assert.True(await identifiers.AddAsync(Operator, TestKeys.OrgA, OrganizationIdentifiers.NpiSystem, NpiA));
        Assert.True(await identifiers.AddAsync(Operator, TestKeys.OrgA, OrganizationIdentifiers.TinSystem, TinA));
        Assert.True(await identifiers.AddAsync(Operator, TestKeys.OrgB, OrganizationIdentifiers.NpiSystem, NpiB));
    }

    private static string WithFilter(string filter)
    {
        var subscription = JsonNode.Parse(FhirSubscriptionTests.SubscriptionJson(Endpoint))!;
        subscription["_criteria"] = new JsonObject
        {
            ["extension"] = new JsonArray(new JsonObject { ["url"] = PasSubscriptions.FilterCriteriaExtension, ["valueString"] = filter }),
        };
        return subscription.ToJsonString();
    }

    /// <summary>Creates, insisting on 201, and ends the subscription again (an organization may hold only so many).</summary>
    private static async Task<Subscription> CreatedAsync(HttpClient client, string json)
    {
        using var response = await client.PostFhirAsync("/fhir/Subscription", json);
        var subscription = await response.ResourceAsync<Subscription>(HttpStatusCode.Created);
        (await client.DeleteAsync($"/fhir/Subscription/{subscription.Id}")).Dispose();
        return subscription;
    }

    private static async Task<(HttpStatusCode Status, string Body)> RefusedAsync(HttpClient client, string json)
    {
        using var response = await client.PostFhirAsync("/fhir/Subscription", json);
        var body = await response.Content.ReadAsStringAsync();
        Assert.NotEqual(HttpStatusCode.Created, response.StatusCode);
        return (response.StatusCode, body);
    }

    private async Task<CapabilityStatement> MetadataAsync()
    {
        using var response = await factory.Anonymous().GetAsync("/fhir/metadata");
        return await response.ResourceAsync<CapabilityStatement>(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("org-identifier={0}")]
    [InlineData("orgIdentifier={0}")]
    [InlineData("org-identifier=http://hl7.org/fhir/sid/us-npi|{0}")]
    public async Task A_subscriber_filters_on_its_own_organizations_NPI(string filter)
    {
        await IdentifyAsync();

        var subscription = await CreatedAsync(factory.ProviderA, WithFilter(string.Format(System.Globalization.CultureInfo.InvariantCulture, filter, NpiA)));

        Assert.Equal(PasSubscriptions.Topic, subscription.Criteria);
    }

    [Fact]
    public async Task A_subscriber_filters_on_its_own_organizations_TIN_and_still_on_its_MgAuth_id()
    {
        await IdentifyAsync();

        await CreatedAsync(factory.ProviderA, WithFilter("org-identifier=" + TinA));
        await CreatedAsync(factory.ProviderA, WithFilter("orgIdentifier=" + TestKeys.OrgA));
    }

    [Fact]
    public async Task Another_organizations_NPI_is_refused_exactly_as_an_unknown_one()
    {
        await IdentifyAsync();

        var theirs = await RefusedAsync(factory.ProviderB, WithFilter("org-identifier=" + NpiA));
        var unknown = await RefusedAsync(factory.ProviderB, WithFilter("org-identifier=1679576722"));
        var theirTin = await RefusedAsync(factory.ProviderB, WithFilter("orgIdentifier=" + TinA));
        var theirId = await RefusedAsync(factory.ProviderB, WithFilter("orgIdentifier=" + TestKeys.OrgA));
        // The NPI's system named with a TIN's value: not an identifier of B either.
        var wrongSystem = await RefusedAsync(factory.ProviderB, WithFilter($"org-identifier={OrganizationIdentifiers.TinSystem}|{NpiB}"));

        Assert.Equal(HttpStatusCode.Forbidden, theirs.Status);
        Assert.All(new[] { unknown, theirTin, theirId, wrongSystem }, other => Assert.Equal(theirs, other));
        Assert.DoesNotContain(NpiA, theirs.Body);
    }

    [Fact]
    public async Task An_identifier_belongs_to_one_organization()
    {
        await IdentifyAsync();
        var identifiers = factory.Services.GetRequiredService<OrganizationIdentifiers>();

        Assert.False(await identifiers.AddAsync(Operator, TestKeys.OrgB, OrganizationIdentifiers.NpiSystem, NpiA));
        Assert.DoesNotContain(await identifiers.OfAsync(TestKeys.OrgB), i => i.Value == NpiA);
        await Assert.ThrowsAsync<ArgumentException>(() => identifiers.AddAsync(Operator, TestKeys.OrgB, OrganizationIdentifiers.NpiSystem, "1234567890"));
        await Assert.ThrowsAsync<ArgumentException>(() => identifiers.AddAsync(Operator, TestKeys.OrgB, OrganizationIdentifiers.TinSystem, "12-3456789"));
    }

    [Fact]
    public async Task subscriptions_r4_server_cs_conformance()
    {
        var statement = await MetadataAsync();

        var server = Assert.Single(statement.Rest, r => r.Mode == CapabilityStatement.RestfulCapabilityMode.Server);
        var subscription = Assert.Single(server.Resource, r => r.Type == "Subscription");
        Assert.Contains(FhirCapabilities.BackportSubscriptionProfile, subscription.SupportedProfile);
        AssertValid(statement);
    }

    [Fact]
    public async Task subscriptions_r4_server_topic_discovery()
    {
        var statement = await MetadataAsync();
        var created = await CreatedAsync(factory.ProviderA, FhirSubscriptionTests.SubscriptionJson(Endpoint));

        var subscription = statement.Rest.Single(r => r.Mode == CapabilityStatement.RestfulCapabilityMode.Server).Resource.Single(r => r.Type == "Subscription");
        var topics = subscription.Extension.Where(e => e.Url == FhirCapabilities.TopicCanonicalExtension).Select(e => (e.Value as Canonical)?.Value);
        Assert.Contains(created.Criteria, topics);
    }

    public static TheoryData<string, string> Unsupported() => new()
    {
        // subscriptions_r4_server_reject_subscription_filter: a filter the topic does not define.
        { "subscriptions_r4_server_reject_subscription_filter", "_criteria.extension[0].valueString=patient=Patient/123" },
        // subscriptions_r4_server_reject_subscription_topic: a topic the server does not offer.
        { "subscriptions_r4_server_reject_subscription_topic", "criteria=http://example.org/SubscriptionTopic/unknown" },
        // subscriptions_r4_server_reject_subscription_channel_type: a channel the server does not deliver on.
        { "subscriptions_r4_server_reject_subscription_channel_type", "channel.type=websocket" },
        // subscriptions_r4_server_reject_subscription_channel_payload_combo: content the server does not send.
        { "subscriptions_r4_server_reject_subscription_channel_payload_combo", "channel._payload.extension[0].valueCode=id-only" },
        // subscriptions_r4_server_reject_subscription_channel_endpoint: an endpoint it will not call.
        { "subscriptions_r4_server_reject_subscription_channel_endpoint", "channel.endpoint=https://169.254.169.254/latest" },
    };

    [Theory]
    [MemberData(nameof(Unsupported))]
    public async Task Subscriptions_the_server_does_not_support_are_rejected(string check, string change)
    {
        var subscription = JsonNode.Parse(WithFilter("org-identifier=" + TestKeys.OrgA))!;
        var (path, value) = (change[..change.IndexOf('=', StringComparison.Ordinal)], change[(change.IndexOf('=', StringComparison.Ordinal) + 1)..]);
        var names = path.Split('.');
        var parent = names[..^1].Aggregate(subscription, (node, name) => name.EndsWith("[0]", StringComparison.Ordinal) ? node[name[..^3]]![0]! : node[name]!);
        var last = names[^1];
        if (last.EndsWith("[0]", StringComparison.Ordinal)) parent[last[..^3]]![0] = value;
        else parent[last] = value;

        var (status, _) = await RefusedAsync(factory.ProviderA, subscription.ToJsonString());

        Assert.True(status is HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity, $"{check}: {(int)status}");
    }

    [Fact]
    public async Task The_CapabilityStatement_declares_PAS_servers_capability()
    {
        var statement = await MetadataAsync();

        Assert.Contains(FhirCapabilities.PasServer, statement.Instantiates);
        Assert.Contains(FhirCapabilities.PasGuide, statement.ImplementationGuide);
        var server = statement.Rest.Single(r => r.Mode == CapabilityStatement.RestfulCapabilityMode.Server);
        var claim = server.Resource.Single(r => r.Type == "Claim");
        Assert.Equal(
            [("inquire", "http://hl7.org/fhir/us/davinci-pas/OperationDefinition/Claim-inquiry"), ("submit", "http://hl7.org/fhir/us/davinci-pas/OperationDefinition/Claim-submit")],
            claim.Operation.Select(o => (o.Name, o.Definition)).Order());
        var subscription = server.Resource.Single(r => r.Type == "Subscription");
        Assert.Equal(PasSubscriptions.Topic, (subscription.Extension.Single(e => e.Url == FhirCapabilities.TopicCanonicalExtension).Value as Canonical)?.Value);
        Assert.Contains(PasSubscriptions.Profile, subscription.SupportedProfile);
        Assert.Contains(subscription.Operation, o => o.Name == "status" && o.Definition == FhirCapabilities.StatusDefinition);
        AssertValid(statement);
    }
}
