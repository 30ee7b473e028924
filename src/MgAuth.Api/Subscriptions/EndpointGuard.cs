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

    /// <summary>
    /// Whether an address is routable on the public internet (not loopback, private, link-local, shared, reserved or
    /// multicast). An IPv6 address must be global unicast (2000::/3), and one that carries an IPv4 address for a
    /// transition mechanism is judged by that IPv4 address too: 6to4, Teredo (server and client), NAT64 and ISATAP.
    /// </summary>
    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily == AddressFamily.InterNetwork) return IsPublicIPv4(address.GetAddressBytes());
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return false;
        var v6 = address.GetAddressBytes();
        // NAT64, the well-known prefix 64:ff9b::/96 (RFC 6052): the IPv4 address is the last 32 bits. Nothing else in
        // 64:ff9b::/32 is public (64:ff9b:1::/48 is for local use).
        if (v6[0] == 0x00 && v6[1] == 0x64 && v6[2] == 0xff && v6[3] == 0x9b)
            return v6.AsSpan(4, 8).IndexOfAnyExcept((byte)0) < 0 && IsPublicIPv4(v6[12..]);
        // Global unicast only: this leaves out ::/8 (loopback, unspecified, IPv4-compatible and -translated), fc00::/7,
        // fe80::/10, fec0::/10 and ff00::/8.
        if ((v6[0] & 0xe0) != 0x20) return false;
        // Documentation: 2001:db8::/32 and 3fff::/20.
        if ((v6[0] == 0x20 && v6[1] == 0x01 && v6[2] == 0x0d && v6[3] == 0xb8) || (v6[0] == 0x3f && v6[1] == 0xff && (v6[2] & 0xf0) == 0))
            return false;
        // 6to4, 2002::/16 (RFC 3056): the relay is reached at the IPv4 address in bits 16–47.
        if (v6[0] == 0x20 && v6[1] == 0x02 && !IsPublicIPv4(v6[2..6])) return false;
        // Teredo, 2001::/32 (RFC 4380): the server's IPv4 address in bits 32–63, the client's in the last 32, inverted.
        if (v6[0] == 0x20 && v6[1] == 0x01 && v6[2] == 0x00 && v6[3] == 0x00
            && (!IsPublicIPv4(v6[4..8]) || !IsPublicIPv4([.. v6[12..].Select(b => (byte)~b)])))
            return false;
        // ISATAP (RFC 5214): an interface id of 0000:5efe or 0200:5efe and an IPv4 address, under any prefix.
        if ((v6[8] & 0xfd) == 0x00 && v6[9] == 0x00 && v6[10] == 0x5e && v6[11] == 0xfe && !IsPublicIPv4(v6[12..])) return false;
        return true;
    }

    private static bool IsPublicIPv4(byte[] b) =>
        !(b[0] is 0 or 10 or 127 or >= 224
            || (b[0] == 100 && b[1] >= 64 && b[1] < 128)
            || (b[0] == 169 && b[1] == 254)
            || (b[0] == 172 && b[1] >= 16 && b[1] < 32)
            || (b[0] == 192 && b[1] == 0 && b[2] is 0 or 2)
            || (b[0] == 192 && b[1] == 168)
            || (b[0] == 198 && b[1] is 18 or 19)
            || (b[0] == 198 && b[1] == 51 && b[2] == 100)
            || (b[0] == 203 && b[1] == 0 && b[2] == 113));

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
