using System.Collections.Concurrent;

namespace MgAuth.Api.DevIdentity;

/// <summary>
/// In degraded mode OpenIddict keeps no token store, so nothing stops a code or refresh token from being redeemed twice.
/// Each carries a grant id (<see cref="DevIdentityServer.GrantClaim"/>); this remembers the used ones until they expire.
/// In memory is enough: the provider's encryption key is made at start, so no code or refresh token outlives the process.
/// </summary>
public sealed class UsedGrants(TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _used = new(StringComparer.Ordinal);

    /// <summary>True the first time <paramref name="grantId"/> is used, false ever after (until it expires).</summary>
    public bool Use(string grantId, DateTimeOffset expiresAt)
    {
        var now = clock.GetUtcNow();
        foreach (var (id, expires) in _used)
            if (expires < now) _used.TryRemove(id, out _);
        return _used.TryAdd(grantId, expiresAt);
    }
}
