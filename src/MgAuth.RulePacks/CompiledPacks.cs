using System.Collections.Concurrent;

namespace MgAuth.RulePacks;

/// <summary>
/// The packs compiled in this process, by the SHA-256 of their source: each is compiled once, whichever release,
/// activation, explanation or replay needs it (two releases that differ only in their policies share one pack).
/// A pack that fails to compile is not kept, so the next caller sees the failure again rather than a stale one.
/// </summary>
public sealed class CompiledPacks
{
    private readonly ConcurrentDictionary<string, Lazy<RulePack>> _packs = new();

    public RulePack Get(PackSource source)
    {
        var entry = _packs.GetOrAdd(source.Sha256, _ => new Lazy<RulePack>(() => RulePackCompiler.Compile(source)));
        try
        {
            return entry.Value;
        }
        catch
        {
            _packs.TryRemove(new KeyValuePair<string, Lazy<RulePack>>(source.Sha256, entry));
            throw;
        }
    }

    /// <summary>A pack already compiled here (the deployed release, checked at start), kept for the others to share.</summary>
    public RulePack Add(RulePack pack) => _packs.GetOrAdd(pack.Source.Sha256, new Lazy<RulePack>(pack)).Value;
}
