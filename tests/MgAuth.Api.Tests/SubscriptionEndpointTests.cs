using System.Net;
using MgAuth.Api.Subscriptions;
using MgAuth.Api.Tests.Support;
using static MgAuth.Api.Tests.Support.FhirCalls;

namespace MgAuth.Api.Tests;

/// <summary>
/// An attacker with a provider key tries to make the service's notifications call into the payer's own network
/// (server-side request forgery): every endpoint that is not https on a public address is refused, before storing it
/// and again on the address a delivery would connect to.
/// </summary>
public sealed class SubscriptionEndpointTests(MgAuthFactory factory) : IClassFixture<MgAuthFactory>
{
    [Theory]
    [InlineData("http://ehr.example.org/hook", "must be an https URL")]
    [InlineData("https://127.0.0.1:8080/admin", "must not be a loopback, private or link-local address")]
    [InlineData("https://169.254.169.254/latest/meta-data/", "must not be a loopback, private or link-local address")]
    [InlineData("https://10.1.2.3/hook", "must not be a loopback, private or link-local address")]
    [InlineData("https://[::1]/hook", "must not be a loopback, private or link-local address")]
    [InlineData("https://[::ffff:192.168.0.1]/hook", "must not be a loopback, private or link-local address")]
    [InlineData("https://localhost/hook", "must name a public host")]
    [InlineData("https://db.internal/hook", "must name a public host")]
    [InlineData("https://intranet/hook", "must name a public host")]
    [InlineData("https://user:secret@ehr.example.org/hook", "must not carry a user name, password or fragment; send credentials in channel.header")]
    [InlineData("file:///etc/passwd", "must be an absolute https URL")]
    public async Task An_endpoint_inside_the_payers_network_is_refused(string endpoint, string why)
    {
        using var response = await factory.ProviderA.PostFhirAsync("/fhir/Subscription", FhirSubscriptionTests.SubscriptionJson(endpoint));

        var outcome = await response.ResourceAsync<Hl7.Fhir.Model.OperationOutcome>(HttpStatusCode.BadRequest);
        var issue = Assert.Single(outcome.Issue);
        Assert.Equal(["Subscription.channel.endpoint"], issue.Expression);
        Assert.Equal(why, issue.Diagnostics);
        Assert.Equal(0, factory.ScalarLong("SELECT COUNT(*) FROM subscriptions"));
    }

    [Theory]
    [InlineData("127.0.0.1", false)]
    [InlineData("10.0.0.1", false)]
    [InlineData("172.31.255.255", false)]
    [InlineData("192.168.1.1", false)]
    [InlineData("169.254.169.254", false)]
    [InlineData("100.64.0.1", false)]
    [InlineData("0.0.0.0", false)]
    [InlineData("224.0.0.1", false)]
    [InlineData("::1", false)]
    [InlineData("fe80::1", false)]
    [InlineData("fd00::1", false)]
    [InlineData("::ffff:127.0.0.1", false)]
    [InlineData("64:ff9b::a00:1", false)]
    [InlineData("93.184.215.14", true)]
    [InlineData("172.32.0.1", true)]
    [InlineData("2606:2800:21f:cb07:6820:80da:af6b:8b2c", true)]
    public void Only_public_addresses_are_connected_to(string address, bool isPublic) =>
        Assert.Equal(isPublic, EndpointGuard.IsPublic(IPAddress.Parse(address)));

    [Fact]
    public async Task A_name_that_resolves_inside_the_network_is_refused_when_connecting()
    {
        using var client = new HttpClient(EndpointGuard.Handler(allowPrivate: false));

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("http://localhost:9/hook"));

        Assert.Contains(EndpointGuard.NotPublic, refused.Message + refused.InnerException?.Message);
    }

    [Fact]
    public async Task Providers_only_subscribe_and_plan_staff_cannot_create_one()
    {
        using var response = await factory.Reviewer.PostFhirAsync("/fhir/Subscription", FhirSubscriptionTests.SubscriptionJson("https://ehr.example.org/hook"));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        using var anonymous = await factory.Anonymous().PostFhirAsync("/fhir/Subscription", FhirSubscriptionTests.SubscriptionJson("https://ehr.example.org/hook"));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }
}
