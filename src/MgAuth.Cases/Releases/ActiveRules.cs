using MgAuth.RulePacks;

namespace MgAuth.Cases.Releases;

/// <summary>A compiled release: the pack and the policies it runs under, with the release hash.</summary>
public sealed record RuleSet(string ReleaseSha256, RulePack Pack, PolicySet Policies)
{
    public static RuleSet From(RuleRelease release)
    {
        var (pack, policies) = release.Load();
        return new RuleSet(release.Sha256, pack, policies);
    }
}

/// <summary>
/// The rule set in force. A request reads it once and keeps it to the end, so switching to a new
/// set is one reference swap: requests in flight finish on the set they started with, the next
/// request uses the new one, nothing restarts. An activation with a future effective time waits
/// here and takes over on the first read after that time.
/// </summary>
public sealed class ActiveRules(RuleSet initial, TimeProvider clock)
{
    private RuleSet _current = initial;
    private Scheduled? _scheduled;

    public RuleSet Current
    {
        get
        {
            if (Volatile.Read(ref _scheduled) is { } next && clock.GetUtcNow() >= next.From
                && Interlocked.CompareExchange(ref _scheduled, null, next) == next)
                Volatile.Write(ref _current, next.Rules);
            return Volatile.Read(ref _current);
        }
    }

    /// <summary>The set waiting for its effective time, if any.</summary>
    public (RuleSet Rules, DateTimeOffset From)? Pending => Volatile.Read(ref _scheduled) is { } s ? (s.Rules, s.From) : null;

    public void Activate(RuleSet next, DateTimeOffset? effectiveFrom = null)
    {
        if (effectiveFrom is { } from && from > clock.GetUtcNow())
        {
            Volatile.Write(ref _scheduled, new Scheduled(next, from));
            return;
        }
        Volatile.Write(ref _scheduled, null);
        Volatile.Write(ref _current, next);
    }

    private sealed record Scheduled(RuleSet Rules, DateTimeOffset From);
}
