using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using MgAuth.Api.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace MgAuth.Api.Security;

/// <summary>
/// Requests without a valid key, counted per client address (an IPv6 address by its /64): each one that
/// fails authentication, or is refused for want of a key, takes a permit of
/// <see cref="SecurityOptions.FailedAuthPerMinute"/>. A good key takes none.
/// </summary>
public sealed class FailedAuthenticationLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;

    public FailedAuthenticationLimiter(IOptions<SecurityOptions> options)
    {
        var perMinute = Math.Max(1, options.Value.FailedAuthPerMinute);
        _limiter = PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetFixedWindowLimiter(address,
            _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0, AutoReplenishment = true }));
    }

    /// <summary>How long the address must wait when it has used up its budget; null while it has permits left.</summary>
    public TimeSpan? WaitFor(string address)
    {
        using var lease = _limiter.AttemptAcquire(address, 0);
        if (lease.IsAcquired) return null;
        return lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromMinutes(1);
    }

    /// <summary>Counts one request without a valid key against the address.</summary>
    public void Failed(string address)
    {
        using var _ = _limiter.AttemptAcquire(address);
    }

    /// <summary>The partition of a client address: IPv4 as is, IPv6 by its /64 (one host commonly holds a whole /64).</summary>
    public static string AddressOf(IPAddress? address)
    {
        if (address is null) return "unknown";
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return address.ToString();
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    public void Dispose() => _limiter.Dispose();
}

/// <summary>
/// Runs before authentication: an address that has used up its budget is answered 429 without its key being
/// looked up (a good key authentication already remembers still passes, and so does a request that needs no key);
/// afterwards, a failed key or a 401 takes a permit.
/// </summary>
public static class FailedAuthenticationLimit
{
    public static IApplicationBuilder UseFailedAuthenticationLimit(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var limiter = context.RequestServices.GetRequiredService<FailedAuthenticationLimiter>();
        var address = FailedAuthenticationLimiter.AddressOf(context.Connection.RemoteIpAddress);
        var secret = ApiKeyAuthenticationHandler.SecretOf(context.Request);
        var wouldLookUp = secret is not null
            ? !context.RequestServices.GetRequiredService<ApiKeyCache>().Remembers(secret)
            : NeedsKey(context);
        if (wouldLookUp && limiter.WaitFor(address) is { } wait)
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            await Problems.Of(StatusCodes.Status429TooManyRequests, "too-many-failed-authentications", "Too many requests without a valid key",
                $"This address has sent too many requests without a valid API key; retry after {seconds} s.").ExecuteAsync(context);
            return;
        }

        await next(context);

        if (ApiKeyAuthenticationHandler.KeyFailed(context) || context.Response.StatusCode == StatusCodes.Status401Unauthorized)
            limiter.Failed(address);
    });

    // The endpoint asks for an authenticated caller (a request without a key would be 401 anyway).
    private static bool NeedsKey(HttpContext context) =>
        context.GetEndpoint()?.Metadata is { } metadata
        && metadata.GetMetadata<IAuthorizeData>() is not null
        && metadata.GetMetadata<IAllowAnonymous>() is null;
}
