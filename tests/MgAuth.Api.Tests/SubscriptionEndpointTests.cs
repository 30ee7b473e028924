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
    // Transition prefixes carrying a loopback or private IPv4 address (issue 18): 6to4, Teredo, NAT64, IPv4-compatible, ISATAP.
    [InlineData("https://[2002:7f00:1::]/", "must not be a loopback, private or link-local address")]
    [InlineData("https://[2002:a9fe:a9fe::1]/latest/meta-data/", "must not be a loopback, private or link-local address")]
    [InlineData("https://[2001:0:4136:e378:8000:63bf:80ff:fffe]/hook", "must not be a loopback, private or link-local address")]
    [InlineData("https://[64:ff9b::7f00:1]/hook", "must not be a loopback, private or link-local address")]
    [InlineData("https://[64:ff9b:1::a00:1]/hook", "must not be a loopback, private or link-local address")]
    [InlineData("https://[::7f00:1]/hook", "must not be a loopback, private or link-local address")]
    [InlineData("https://[2001:470:1f0b::5efe:a00:1]/hook", "must not be a loopback, private or link-local address")]
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
    [InlineData("2002:7f00:1::", false)]                          // 6to4 of 127.0.0.1 (the issue's)
    [InlineData("2002:a00:1::1", false)]                          // 6to4 of 10.0.0.1
    [InlineData("2002:c0a8:101:1::1", false)]                     // 6to4 of 192.168.1.1
    [InlineData("2001:0:4136:e378:8000:63bf:80ff:fffe", false)]   // Teredo, client 127.0.0.1 (inverted)
    [InlineData("2001:0:a00:1:8000:63bf:a247:47f1", false)]       // Teredo, server 10.0.0.1
    [InlineData("64:ff9b::7f00:1", false)]                        // NAT64 of 127.0.0.1
    [InlineData("64:ff9b:1::a00:1", false)]                       // NAT64, local-use prefix
    [InlineData("::7f00:1", false)]                               // IPv4-compatible
    [InlineData("::ffff:0:a00:1", false)]                         // IPv4-translated
    [InlineData("2001:470:1f0b::5efe:a00:1", false)]              // ISATAP of 10.0.0.1
    [InlineData("2001:470:1f0b::200:5efe:c0a8:101", false)]       // ISATAP of 192.168.1.1
    [InlineData("2001:db8::1", false)]
    [InlineData("3fff::1", false)]
    [InlineData("100::1", false)]
    [InlineData("ff02::1", false)]
    [InlineData("2002:5db8:d70e::1", true)]                       // 6to4 of a public address
    [InlineData("2001:0:4136:e378:8000:63bf:a247:47f1", true)]    // Teredo, public server and client
    [InlineData("64:ff9b::5db8:d70e", true)]                      // NAT64 of a public address
    [InlineData("2001:470:1f0b::200:5efe:5db8:d70e", true)]       // ISATAP of a public address
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

    [Theory]
    [InlineData("http://[2002:7f00:1::]:9/hook")]
    [InlineData("http://[2001:0:4136:e378:8000:63bf:80ff:fffe]:9/hook")]
    [InlineData("http://[64:ff9b::7f00:1]:9/hook")]
    [InlineData("http://[2001:470:1f0b::5efe:7f00:1]:9/hook")]
    public async Task An_address_carrying_a_loopback_IPv4_address_is_refused_when_connecting(string url)
    {
        using var client = new HttpClient(EndpointGuard.Handler(allowPrivate: false));

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(url));

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
