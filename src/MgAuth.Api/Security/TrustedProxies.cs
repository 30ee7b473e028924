using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace MgAuth.Api.Security;

/// <summary>
/// The <c>ForwardedHeaders</c> section: the reverse proxies (<c>KnownProxies</c>, addresses) and proxy networks
/// (<c>KnownNetworks</c>, CIDR) whose <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> name the client, and how many
/// proxies deep (<c>ForwardLimit</c>, 1). With none configured (the default) the headers are ignored: the client is the
/// address that connected, so a made-up header can neither dodge the failed-key limit nor spend another address's.
/// </summary>
public static class TrustedProxies
{
    public const string Section = "ForwardedHeaders";

    public static IApplicationBuilder UseTrustedProxies(this IApplicationBuilder app, IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        var proxies = section.GetSection("KnownProxies").Get<string[]>() ?? [];
        var networks = section.GetSection("KnownNetworks").Get<string[]>() ?? [];
        if (proxies.Length == 0 && networks.Length == 0) return app;

        var options = new ForwardedHeadersOptions
        {
            ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto,
            ForwardLimit = Math.Max(1, section.GetValue("ForwardLimit", 1)),
        };
        // Only what is configured: not the loopback defaults.
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var proxy in proxies)
            options.KnownProxies.Add(IPAddress.TryParse(proxy, out var address) ? address
                : throw new InvalidOperationException($"{Section}:KnownProxies: '{proxy}' is not an IP address"));
        foreach (var network in networks)
            options.KnownIPNetworks.Add(System.Net.IPNetwork.TryParse(network, out var parsed) ? parsed
                : throw new InvalidOperationException($"{Section}:KnownNetworks: '{network}' is not a network in CIDR notation (10.0.0.0/8)"));
        return app.UseForwardedHeaders(options);
    }
}
