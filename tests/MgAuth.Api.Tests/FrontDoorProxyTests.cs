using MgAuth.Api.Tests.Support;

namespace MgAuth.Api.Tests;

/// <summary>
/// Behind a reverse proxy every caller had the proxy's address, so one caller's made-up keys spent everyone's budget.
/// X-Forwarded-For now names the client when it comes from a configured proxy (<c>ForwardedHeaders:KnownProxies</c>,
/// <c>KnownNetworks</c>), and from nowhere else: a made-up header neither dodges the limit nor spends another address's.
/// </summary>
public sealed class FrontDoorProxyTests(ProxiedFactory proxied, FailedAuthLimitedFactory plain)
    : IClassFixture<ProxiedFactory>, IClassFixture<FailedAuthLimitedFactory>
{
    private static string MadeUp() => "mga_" + Guid.NewGuid().ToString("N");

    private static string NewAddress() => $"198.18.{Random.Shared.Next(0, 255)}.{Random.Shared.Next(1, 255)}";

    private static async Task<HttpStatusCode> StatusAsync(HttpClient client)
    {
        using (client)
        using (var response = await client.GetAsync("/v1/authorizations"))
            return response.StatusCode;
    }

    [Fact]
    public async Task Behind_a_configured_proxy_each_forwarded_client_has_its_own_budget()
    {
        var noisy = NewAddress();
        var quiet = NewAddress();
        for (var i = 0; i < FailedAuthLimitedFactory.Budget; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(proxied.From(ProxiedFactory.Proxy, MadeUp(), noisy)));
        Assert.Equal(HttpStatusCode.TooManyRequests, await StatusAsync(proxied.From(ProxiedFactory.Proxy, MadeUp(), noisy)));

        // Another client through the same proxy, or through another proxy of the configured network, is not held back.
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(proxied.From(ProxiedFactory.Proxy, MadeUp(), quiet)));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(proxied.From("10.8.3.4", MadeUp(), quiet)));
        // The noisy client is the same client through either proxy.
        Assert.Equal(HttpStatusCode.TooManyRequests, await StatusAsync(proxied.From("10.8.3.4", MadeUp(), noisy)));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(proxied.From(ProxiedFactory.Proxy, proxied.Keys.ProviderA.Secret, noisy)));
    }

    [Fact]
    public async Task A_forwarded_header_from_an_address_that_is_not_a_configured_proxy_cannot_dodge_the_limit()
    {
        var attacker = NewAddress();
        for (var i = 0; i < FailedAuthLimitedFactory.Budget; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(proxied.From(attacker, MadeUp(), NewAddress())));

        Assert.Equal(HttpStatusCode.TooManyRequests, await StatusAsync(proxied.From(attacker, MadeUp(), NewAddress())));
        Assert.Equal(HttpStatusCode.TooManyRequests, await StatusAsync(proxied.From(attacker, MadeUp())));
    }

    [Fact]
    public async Task A_forwarded_header_from_an_address_that_is_not_a_configured_proxy_cannot_spend_another_addresss_budget()
    {
        var attacker = NewAddress();
        var victim = NewAddress();
        for (var i = 0; i < 2 * FailedAuthLimitedFactory.Budget; i++)
            await StatusAsync(proxied.From(attacker, MadeUp(), victim));

        Assert.Equal(HttpStatusCode.TooManyRequests, await StatusAsync(proxied.From(attacker, MadeUp())));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(proxied.From(victim, MadeUp())));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(proxied.From(ProxiedFactory.Proxy, MadeUp(), victim)));
    }

    [Fact]
    public async Task Without_configured_proxies_forwarded_headers_are_ignored()
    {
        // Not even loopback, which the framework would trust by default, is a proxy unless configured.
        var victim = NewAddress();
        for (var i = 0; i < FailedAuthLimitedFactory.Budget + 1; i++)
        {
            using var client = plain.From("127.0.0.1", MadeUp());
            client.DefaultRequestHeaders.Add("X-Forwarded-For", victim);
            await StatusAsync(client);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, await StatusAsync(plain.From("127.0.0.1", MadeUp())));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(plain.From(victim, MadeUp())));
    }
}
