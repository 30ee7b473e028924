using System.Net;
using System.Net.Sockets;

namespace MgAuth.Api.Subscriptions;

/// <summary>
/// Keeps notifications from being turned against the payer's own network (server-side request forgery): a
/// subscriber's endpoint must be https on a public address, checked when the subscription is made and again on the
/// address each delivery actually connects to (a name may resolve elsewhere later). Redirects are not followed.
/// </summary>
public static class EndpointGuard
{
    public const string NotPublic = "the endpoint's address is not public";

    /// <summary>Why a subscriber's endpoint is refused, or null when it may be used.</summary>
    public static string? Refusal(Uri endpoint, bool allowPrivate)
    {
        if (allowPrivate) return null;
        if (endpoint.Scheme != Uri.UriSchemeHttps) return "must be an https URL";
        var host = endpoint.IdnHost.TrimEnd('.');
        if (IPAddress.TryParse(host, out var address)) return IsPublic(address) ? null : "must not be a loopback, private or link-local address";
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || !host.Contains('.')
            || new[] { ".localhost", ".local", ".internal", ".localdomain", ".home.arpa" }.Any(s => host.EndsWith(s, StringComparison.OrdinalIgnoreCase)))
            return "must name a public host";
        return null;
    }

    /// <summary>Whether an address is routable on the public internet (not loopback, private, link-local, shared, reserved or multicast).</summary>
    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any)
            || address.Equals(IPAddress.IPv6None)) return false;
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return !(b[0] is 0 or 10 or 127 or >= 224
                || (b[0] == 100 && b[1] >= 64 && b[1] < 128)
                || (b[0] == 169 && b[1] == 254)
                || (b[0] == 172 && b[1] >= 16 && b[1] < 32)
                || (b[0] == 192 && b[1] == 0 && b[2] is 0 or 2)
                || (b[0] == 192 && b[1] == 168)
                || (b[0] == 198 && b[1] is 18 or 19)
                || (b[0] == 198 && b[1] == 51 && b[2] == 100)
                || (b[0] == 203 && b[1] == 0 && b[2] == 113));
        }
        var v6 = address.GetAddressBytes();
        return !(address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal || address.IsIPv6Multicast
            || (v6[0] == 0x20 && v6[1] == 0x01 && v6[2] == 0x0d && v6[3] == 0xb8)
            || (v6[0] == 0x00 && v6[1] == 0x64 && v6[2] == 0xff && v6[3] == 0x9b)
            || v6.Take(10).All(x => x == 0));
    }

    /// <summary>The HTTP handler notifications go out through: connects only to a public address (unless allowed), never redirects.</summary>
    public static SocketsHttpHandler Handler(bool allowPrivate) => new()
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ConnectCallback = async (context, cancellationToken) =>
        {
            var addresses = await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, cancellationToken);
            var usable = addresses.Where(a => allowPrivate || IsPublic(a)).ToArray();
            if (usable.Length == 0) throw new HttpRequestException(NotPublic);
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(usable, context.DnsEndPoint.Port, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };
}
