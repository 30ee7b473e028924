using System.Collections.Concurrent;
using MgAuth.Api.Data;
using MgAuth.RulePacks;

namespace MgAuth.Api.RulePacks;

public sealed record PublishResult(string Sha256, bool Valid, IReadOnlyList<string> Problems, int CasesPassed, int CasesFailed,
    Coverage? Coverage, bool AlreadyPublished);

/// <summary>Why an activation was refused.</summary>
public sealed class ActivationRefusedException(string message) : Exception(message);

/// <summary>
/// Publishing and activating releases. A release is compiled and its cases run when it is
/// published; only a release that compiled and passed every case can be activated. Activation
/// swaps the active rule set in memory and records who did it, so a restart comes back to it.
/// </summary>
public sealed class ReleaseService(ReleaseStore releases, TimeProvider clock, ILogger<ReleaseService> logger)
{
    private readonly ConcurrentDictionary<string, RuleSet> _compiled = new();
    private long _lastActivationSeen;

    public PublishResult Publish(RuleRelease release, string publishedBy, string note)
    {
        if (releases.Find(release.Sha256) is { } existing)
            return new PublishResult(existing.Sha256, existing.IsValid, existing.Problems, (int)existing.CasesPassed, (int)existing.CasesFailed, null, true);

        RuleSet? rules = null;
        var problems = new List<string>();
        try
        {
            rules = RuleSet.From(release);
        }
        catch (RulePackException e) { problems.AddRange(e.Problems); }
        catch (Domain.Policies.PolicyLoadException e) { problems.AddRange(e.Problems); }

        var passed = 0;
        var failed = 0;
        Coverage? coverage = null;
        if (rules is not null)
        {
            var results = CaseRunner.RunAll(rules.Pack, rules.Policies);
            passed = results.Count(r => r.Passed);
            failed = results.Count - passed;
            problems.AddRange(results.Where(r => !r.Passed).Select(r => $"case {r.Case.File} failed: {string.Join("; ", r.Differences)}"));
            if (results.Count == 0) problems.Add("the pack has no cases; a release must prove itself before it goes live");
            coverage = Coverage.Of(rules.Pack, results);
            _compiled.TryAdd(release.Sha256, rules);
        }
        var valid = rules is not null && problems.Count == 0;
        var manifest = rules?.Pack.Manifest;
        releases.Save(release, manifest?.Id ?? release.Pack.Name, manifest?.Version ?? "?", valid, problems, passed, failed, publishedBy, note);
        return new PublishResult(release.Sha256, valid, problems, passed, failed, coverage, false);
    }

    public ActivationRecord Activate(ActiveRules active, string sha256, string by, DateTimeOffset? effectiveFrom, string kind = "activate", string note = "")
    {
        var record = releases.Find(sha256) ?? throw new KeyNotFoundException($"no release {sha256}");
        if (!record.IsValid)
            throw new ActivationRefusedException($"release {sha256[..12]} did not compile or failed its cases: {string.Join("; ", record.Problems.Take(5))}");
        var rules = Compiled(sha256);
        var from = effectiveFrom ?? clock.GetUtcNow();
        var activation = releases.AddActivation(sha256, kind, by, from, note);
        active.Activate(rules, from);
        Interlocked.Exchange(ref _lastActivationSeen, activation.Id);
        logger.LogInformation("Release {Release} activated ({Kind}) by {Actor}, effective {From}", sha256[..12], kind, by, from);
        return activation;
    }

    /// <summary>Back to the release that was in force before the current one.</summary>
    public ActivationRecord Rollback(ActiveRules active, string by)
    {
        var history = releases.Activations().Where(a => DateTimeOffset.Parse(a.EffectiveFrom) <= clock.GetUtcNow()).ToArray();
        if (history.Length == 0) throw new ActivationRefusedException("nothing has been activated yet");
        var current = history[^1].ReleaseSha256;
        var previous = history.Reverse().Skip(1).FirstOrDefault(a => a.ReleaseSha256 != current)
            ?? throw new ActivationRefusedException("there is no earlier release to go back to");
        return Activate(active, previous.ReleaseSha256, by, null, "rollback", $"rolled back from {current[..12]}");
    }

    /// <summary>At start: the repository's release if it is new (and valid), else the last activation, else the repository's.</summary>
    public RuleSet LoadInitial(RuleRelease repository)
    {
        var activations = releases.Activations();
        var known = releases.Find(repository.Sha256) is not null;
        if (!known)
        {
            var published = Publish(repository, "repository", "loaded from the repository at start");
            if (published.Valid || activations.Count == 0)
            {
                if (!published.Valid)
                    logger.LogWarning("The repository's rule release fails its checks: {Problems}", string.Join("; ", published.Problems));
                var startup = releases.AddActivation(repository.Sha256, "startup", "repository", clock.GetUtcNow(), "new release found in the repository at start");
                _lastActivationSeen = startup.Id;
                return Compiled(repository.Sha256);
            }
        }
        var latest = activations.LastOrDefault(a => DateTimeOffset.Parse(a.EffectiveFrom) <= clock.GetUtcNow());
        _lastActivationSeen = activations.Count == 0 ? 0 : activations[^1].Id;
        return Compiled(latest?.ReleaseSha256 ?? repository.Sha256, repository);
    }

    /// <summary>Picks up activations another process (mgauth rules publish --activate) recorded in the database.</summary>
    public void FollowActivations(ActiveRules active)
    {
        var activations = releases.Activations();
        if (activations.Count == 0 || activations[^1].Id <= Interlocked.Read(ref _lastActivationSeen)) return;
        var latest = activations[^1];
        active.Activate(Compiled(latest.ReleaseSha256), DateTimeOffset.Parse(latest.EffectiveFrom));
        Interlocked.Exchange(ref _lastActivationSeen, latest.Id);
        logger.LogInformation("Followed activation {Id} of release {Release}", latest.Id, latest.ReleaseSha256[..12]);
    }

    public RuleSet Compiled(string sha256, RuleRelease? fallback = null) =>
        _compiled.GetOrAdd(sha256, sha => RuleSet.From(releases.Release(sha) ?? fallback ?? throw new KeyNotFoundException($"release {sha} is not stored")));
}

/// <summary>Polls for activations made outside this process.</summary>
public sealed class ActivationFollower(ReleaseService releases, ActiveRules active, ILogger<ActivationFollower> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(2));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try { releases.FollowActivations(active); }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Could not follow rule activations");
            }
        }
    }
}
