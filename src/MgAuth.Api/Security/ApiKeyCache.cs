using MgAuth.Cases.Data;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Internal;
using Microsoft.Extensions.Options;

namespace MgAuth.Api.Security;

/// <summary>
/// Keys as authentication finds them. A good key is remembered for <see cref="SecurityOptions.KeyCacheSeconds"/>
/// (so a revoked key stops working within that time), at most <see cref="SecurityOptions.KeyCacheEntries"/> of
/// them; an unknown or revoked key is never remembered, so a key issued after a failed attempt works at once.
/// </summary>
public sealed class ApiKeyCache : IDisposable
{
    private readonly ApiKeyStore _store;
    private readonly MemoryCache _cache;
    private readonly TimeSpan _keepFor;
    private long _lookups;

    public ApiKeyCache(ApiKeyStore store, TimeProvider clock, IOptions<SecurityOptions> options)
    {
        _store = store;
        _keepFor = TimeSpan.FromSeconds(options.Value.KeyCacheSeconds);
        _cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = options.Value.KeyCacheEntries, Clock = new Clock(clock) });
    }

    /// <summary>The active key with this secret, or null.</summary>
    public async Task<ApiKeyRecord?> FindAsync(string secret)
    {
        var hash = ApiKeyStore.Hash(secret);
        if (_cache.TryGetValue(hash, out ApiKeyRecord? known)) return known;
        Interlocked.Increment(ref _lookups);
        var found = await _store.FindAsync(secret);
        if (found is not null)
            _cache.Set(hash, found, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = _keepFor });
        return found;
    }

    /// <summary>Whether a good key with this secret is remembered (answered without the database).</summary>
    public bool Remembers(string secret) => _cache.TryGetValue(ApiKeyStore.Hash(secret), out _);

    /// <summary>For tests: how many times the key store was asked.</summary>
    internal long Lookups => Interlocked.Read(ref _lookups);

    /// <summary>For tests: how many keys are remembered.</summary>
    internal int Count => _cache.Count;

    /// <summary>For tests that revoke a key and expect the next request to see it at once.</summary>
    internal void Forget() => _cache.Clear();

    public void Dispose() => _cache.Dispose();

    private sealed class Clock(TimeProvider time) : ISystemClock
    {
        public DateTimeOffset UtcNow => time.GetUtcNow();
    }
}
