using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using MgAuth.Cases.Data;
using MgAuth.Cases.Security;

namespace MgAuth.Api.Security;

/// <summary>How a presented key stands before its record is read.</summary>
public enum KeyStanding
{
    /// <summary>An active key this process holds: its id and secret match (or, for a key without an id, its hash).</summary>
    Known,

    /// <summary>The id of an active key with another secret: someone who knows the id (ids are in audit trails) guessing.</summary>
    WrongSecret,

    /// <summary>An id no active key has, after asking the database.</summary>
    UnknownId,

    /// <summary>No id and a hash this process does not hold: a made-up key, or one issued without an id by another process.</summary>
    Unlisted,
}

public sealed record KeyCheck(KeyStanding Standing, string? KeyId, string Hash);

/// <summary>
/// Every active key's id and hash, held in memory so that authentication can tell a good key from a made-up one without
/// the database. Loaded at start; keys this process issues or revokes are learnt at once; a key issued elsewhere (the CLI,
/// another replica) is learnt the first time its id is presented (<see cref="FindAsync"/>), and a key revoked elsewhere is
/// forgotten when authentication finds it revoked.
/// </summary>
public sealed class KnownKeys
{
    /// <summary>Full reloads for addresses that have used up their budget happen at most this often, however many ask.</summary>
    private static readonly TimeSpan ReloadInterval = TimeSpan.FromSeconds(1);

    private readonly ApiKeyStore _store;
    private readonly Lock _gate = new();
    private volatile Held _held = new();
    private Task? _load;
    private Task? _reload;
    private long _reloadStarts = long.MinValue;

    public KnownKeys(ApiKeyStore store, ApiKeys keys)
    {
        _store = store;
        keys.Issued += Learn;
        keys.Revoked += Forget;
    }

    /// <summary>Loads every active key (once; a failed load is tried again by the next caller).</summary>
    public Task LoadAsync()
    {
        if (_load is { IsCompletedSuccessfully: true } loaded) return loaded;
        lock (_gate)
        {
            if (_load is null || _load.IsFaulted || _load.IsCanceled) _load = ReplaceAsync();
            return _load;
        }
    }

    /// <summary>
    /// How a presented key stands. An id not held is looked up by id when <paramref name="addressHasBudget"/>; otherwise
    /// (the address has been sending made-up keys) the request waits for a reload of all keys begun after it arrived,
    /// which happens at most once every second whatever the flood — so a good key issued elsewhere still passes, and a
    /// flood costs the database one read a second.
    /// </summary>
    public async Task<KeyCheck> FindAsync(string presented, bool addressHasBudget)
    {
        await LoadAsync();
        var hash = ApiKeyStore.Hash(presented);
        if (ApiKeyFormat.IdOf(presented) is not { } id)
            return _held.IdByHash.TryGetValue(hash, out var legacyId) ? new(KeyStanding.Known, legacyId, hash) : new(KeyStanding.Unlisted, null, hash);

        if (!_held.HashById.ContainsKey(id))
        {
            if (addressHasBudget)
            {
                if (await _store.HashOfAsync(id) is { } stored) Learn(id, stored);
            }
            else await ReloadSinceAsync(Stopwatch.GetTimestamp());
        }
        if (!_held.HashById.TryGetValue(id, out var expected)) return new(KeyStanding.UnknownId, null, hash);
        return CryptographicOperations.FixedTimeEquals(Convert.FromHexString(expected), Convert.FromHexString(hash))
            ? new(KeyStanding.Known, id, hash)
            : new(KeyStanding.WrongSecret, id, hash);
    }

    /// <summary>An active key: issued here, or found by authentication.</summary>
    public void Learn(string id, string hash)
    {
        var held = _held;
        held.HashById[id] = hash;
        held.IdByHash[hash] = id;
    }

    /// <summary>A key that is no longer active.</summary>
    public void Forget(string id)
    {
        var held = _held;
        if (held.HashById.TryRemove(id, out var hash)) held.IdByHash.TryRemove(hash, out _);
    }

    /// <summary>For tests: whether the id is held.</summary>
    internal bool Holds(string id) => _held.HashById.ContainsKey(id);

    private Task ReloadSinceAsync(long arrived)
    {
        lock (_gate)
        {
            if (_reload is { } scheduled && _reloadStarts >= arrived) return scheduled;
            var previous = _reload ?? Task.CompletedTask;
            var earliest = _reloadStarts == long.MinValue ? arrived : _reloadStarts + (long)(ReloadInterval.TotalSeconds * Stopwatch.Frequency);
            _reloadStarts = Math.Max(arrived, earliest);
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), _reloadStarts);
            _reload = ReloadAfterAsync(previous, wait);
            return _reload;
        }
    }

    private async Task ReloadAfterAsync(Task previous, TimeSpan wait)
    {
        try { await previous; }
        catch (Exception) { } // that reload's own callers heard why
        if (wait > TimeSpan.Zero) await Task.Delay(wait);
        await ReplaceAsync();
    }

    private async Task ReplaceAsync()
    {
        var held = new Held();
        foreach (var (id, hash) in await _store.ActiveHashesAsync())
        {
            held.HashById[id] = hash;
            held.IdByHash[hash] = id;
        }
        _held = held;
    }

    private sealed class Held
    {
        public ConcurrentDictionary<string, string> HashById { get; } = new(StringComparer.Ordinal);
        public ConcurrentDictionary<string, string> IdByHash { get; } = new(StringComparer.Ordinal);
    }
}
