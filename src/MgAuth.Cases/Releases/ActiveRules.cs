using MgAuth.Domain.Terminology;
using MgAuth.RulePacks;

namespace MgAuth.Cases.Releases;

/// <summary>A compiled release: the pack and the policies it runs under, their value sets, with the release hash.</summary>
public sealed record RuleSet(string ReleaseSha256, RulePack Pack, PolicySet Policies)
{
    /// <summary>The release's value sets (empty for a release published before value sets travelled with the policies).</summary>
    public ValueSetLibrary ValueSets { get; init; } = ValueSetLibrary.Empty;

    public static RuleSet From(RuleRelease release, CompiledPacks packs)
    {
        var (pack, policies) = release.Load(packs);
        return new RuleSet(release.Sha256, pack, policies) { ValueSets = release.ValueSets() };
    }
}

/// <summary>
/// The rule set in force. A request reads it once and keeps it to the end, so switching to a new
/// set is one reference swap: requests in flight finish on the set they started with, the next
/// request uses the new one, nothing restarts. An activation with a future effective time waits
/// here and takes over on the first read after that time. The set in force and the one waiting are
/// one immutable state, swapped whole: no reader can see the waiting set taken off before it is in force.
/// Nothing is in force until <see cref="LoadAsync"/> (a step of the service's start, not of resolving this service).
/// </summary>
public sealed class ActiveRules(TimeProvider clock)
{
    private State? _state;

    /// <summary>
    /// The start's step: the repository's release if it is new, else the last activation (<see cref="ReleaseService.LoadInitialAsync"/>),
    /// put in force. Throws when that release cannot be loaded, so a service does not start on a broken pack.
    /// </summary>
    public async Task LoadAsync(ReleaseService releases, RuleRelease repository, CancellationToken cancellationToken = default) =>
        Activate(await releases.LoadInitialAsync(repository, cancellationToken));

    public RuleSet Current
    {
        get
        {
            while (true)
            {
                var state = Loaded();
                if (state.Scheduled is not { } next || clock.GetUtcNow() < next.From) return state.Current;
                if (Interlocked.CompareExchange(ref _state, new State(next.Rules, null), state) == state) return next.Rules;
            }
        }
    }

    /// <summary>The set waiting for its effective time, if any.</summary>
    public (RuleSet Rules, DateTimeOffset From)? Pending => Loaded().Scheduled is { } s ? (s.Rules, s.From) : null;

    public void Activate(RuleSet next, DateTimeOffset? effectiveFrom = null)
    {
        while (true)
        {
            var state = Volatile.Read(ref _state);
            var updated = state is not null && effectiveFrom is { } from && from > clock.GetUtcNow()
                ? state with { Scheduled = new Scheduled(next, from) }
                : new State(next, null);
            if (Interlocked.CompareExchange(ref _state, updated, state) == state) return;
        }
    }

    private State Loaded() => Volatile.Read(ref _state)
        ?? throw new InvalidOperationException("no rule set is in force yet: ActiveRules.LoadAsync is a step of the service's start");

    private sealed record Scheduled(RuleSet Rules, DateTimeOffset From);

    private sealed record State(RuleSet Current, Scheduled? Scheduled);
}
