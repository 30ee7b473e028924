using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using MgAuth.Api.Infrastructure;
using MgAuth.Cases;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace MgAuth.Api.Security;

/// <summary>
/// Failures to authenticate, each counted against a budget of <see cref="SecurityOptions.FailedAuthPerMinute"/>: a made-up
/// key (an unknown id, or no id and an unknown hash), a malformed one or none where one is needed counts against the
/// client address (an IPv6 address by its /64); a wrong secret for a known key id counts against that key id. A good key
/// takes nothing from either, and is never refused for what others sent.
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

    /// <summary>How long the address (or key id) must wait when it has used up its budget; null while it has permits left.</summary>
    public TimeSpan? WaitFor(string budget)
    {
        using var lease = _limiter.AttemptAcquire(budget, 0);
        if (lease.IsAcquired) return null;
        return lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromMinutes(1);
    }

    /// <summary>Counts one request without a valid key against the address (or key id).</summary>
    public void Failed(string budget)
    {
        using var _ = _limiter.AttemptAcquire(budget);
    }

    /// <summary>The budget of wrong secrets sent with a key id (kept apart from addresses).</summary>
    public static string KeyIdBudget(string keyId) => "key id " + keyId;

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
/// Runs before authentication. A key held in memory with its right secret passes whatever its address has sent. A request
/// whose budget is used up (its address's for a made-up, malformed or missing key; its key id's for a wrong secret) is
/// answered 429 without its key being read from the database; afterwards, a failed key or a 401 takes a permit of that
/// budget. Requests that need no key are never held back.
/// </summary>
public static class FailedAuthenticationLimit
{
    public static IApplicationBuilder UseFailedAuthenticationLimit(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var limiter = context.RequestServices.GetRequiredService<FailedAuthenticationLimiter>();
        var address = FailedAuthenticationLimiter.AddressOf(context.Connection.RemoteIpAddress);
        // An access token is not a key: a bad one is counted against its address by its 401 (below), like a missing key.
        var hasKey = CallerSchemes.CarriesApiKey(context);
        var budget = address;
        if (hasKey)
        {
            var check = await ApiKeyAuthenticationHandler.CheckAsync(context, context.RequestServices.GetRequiredService<KnownKeys>(),
                addressHasBudget: limiter.WaitFor(address) is null);
            budget = check.Standing switch
            {
                KeyStanding.Known => null,
                KeyStanding.WrongSecret => FailedAuthenticationLimiter.KeyIdBudget(check.KeyId!),
                _ => address,
            };
        }
        if (budget is not null && (hasKey || NeedsKey(context)) && limiter.WaitFor(budget) is { } wait)
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
            var who = budget == address ? "This address has sent too many requests without a valid API key"
                : "This key id has been sent with a wrong secret too many times";
            var refusal = new Refusal(RefusalKind.TooManyFailedAuthentications, "Too many requests without a valid key", $"{who}; retry after {seconds} s.")
            {
                RetryAfter = TimeSpan.FromSeconds(seconds),
            };
            await Problems.For(refusal, context.Response).ExecuteAsync(context);
            return;
        }

        await next(context);

        if (ApiKeyAuthenticationHandler.KeyFailed(context) || context.Response.StatusCode == StatusCodes.Status401Unauthorized)
            limiter.Failed(ApiKeyAuthenticationHandler.CheckOf(context) is { KeyId: { } keyId } ? FailedAuthenticationLimiter.KeyIdBudget(keyId) : address);
    });

    // The endpoint asks for an authenticated caller (a request without a key would be 401 anyway).
    private static bool NeedsKey(HttpContext context) =>
        context.GetEndpoint()?.Metadata is { } metadata
        && metadata.GetMetadata<IAuthorizeData>() is not null
        && metadata.GetMetadata<IAllowAnonymous>() is null;
}
