using System.Collections.Concurrent;
using MgAuth.Cases.Data;
using MgAuth.RulePacks;
using MgAuth.RulePacks.Isolation;
using Microsoft.Extensions.Logging;

namespace MgAuth.Cases.Releases;

public sealed record PublishResult(string Sha256, bool Valid, IReadOnlyList<string> Problems, int CasesPassed, int CasesFailed,
    Coverage? Coverage, bool AlreadyPublished, string? WorkerStopped = null)
{
    /// <summary>Why a release that is recorded cannot be activated; null for one that passed its checks.</summary>
    public Refusal? Refusal => WorkerStopped is { } what
        ? Refused($"The release's checks stopped: {what}",
            $"Release {Sha256[..12]} is recorded but refused: the worker that compiles it and runs its cases stopped ({what}).")
        : Valid ? null : Refused("The release cannot be activated", $"Release {Sha256[..12]} is recorded but refused: it did not compile or failed its cases.");

    private Refusal Refused(string title, string detail) =>
        new(RefusalKind.ReleaseRefused, title, detail) { Errors = new Dictionary<string, string[]> { ["release"] = [.. Problems] } };
}

/// <summary>
/// Publishing and activating releases. A published release is compiled and its cases run in a
/// worker process (<see cref="PackWorker"/>), never here; only a release that compiled and passed
/// every case can be activated, only by someone other than who published it, and only then is its
/// code loaded into this process. Activation swaps the active rule set in memory and records who did
/// it, so a restart comes back to it.
/// </summary>
public sealed class ReleaseService(Database database, ReleaseStore releases, PackWorker worker, CompiledPacks packs, TimeProvider clock,
    ILogger<ReleaseService> logger, ReleaseLimits? limits = null)
{
    private readonly ReleaseLimits _limits = limits ?? new ReleaseLimits();

    private readonly ConcurrentDictionary<string, RuleSet> _compiled = new();
    private long _lastActivationSeen;

    public PackWorker Worker => worker;

    public ReleaseStore Store => releases;

    public ReleaseLimits Limits => _limits;

    /// <summary>
    /// Checks a release in the worker and records it: refused when its publisher names no person (four eyes could not be
    /// checked), when it would take them past their daily quota, or when the worker's queue has no place for it.
    /// </summary>
    public async Task<Refusable<PublishResult>> PublishAsync(RuleRelease release, ReleaseActor publisher, string note,
        CancellationToken cancellationToken = default)
    {
        if (publisher.Person is null) return PersonRequired("publish");
        if (releases.Find(release.Sha256) is { } existing)
            return new PublishResult(existing.Sha256, existing.IsValid, existing.Problems, (int)existing.CasesPassed, (int)existing.CasesFailed, null, true);
        if (QuotaRefusal(release, publisher.Person.Subject) is { } overQuota) return overQuota;

        ReleaseCheck check;
        string? stopped = null;
        try
        {
            check = await worker.CheckAsync(release, cancellationToken: cancellationToken);
        }
        catch (WorkerBusyException busy) { return WorkerRefusals.Of(busy); }
        catch (PackWorkerException e)
        {
            stopped = e.What;
            check = ReleaseChecker.Refused(release, [$"the release's checks stopped: {e.What}"]);
        }
        var problems = check.AllProblems;
        var at = clock.GetUtcNow();
        // The release, its pack and policy versions and its audit entry: one transaction.
        await database.Writer.WriteAsync(async (connection, transaction) =>
        {
            await ReleaseStore.SaveAsync(connection, transaction, release, check, publisher, note, at);
            await AuditLog.RecordAsync(connection, transaction, publisher.Audit, AuditActions.ReleasePublished, release.Sha256,
                check.Valid ? "valid" : "refused: " + (stopped ?? $"{problems.Count} problem(s)"), at);
        }, cancellationToken);
        return new PublishResult(release.Sha256, check.Valid, problems, check.Passed, check.Failed, check.Coverage, false, stopped);
    }

    // Every upload of the UTC day counts, kept or refused: a refused one is not stored but took the worker's time.
    private Refusal? QuotaRefusal(RuleRelease release, string person)
    {
        var now = clock.GetUtcNow();
        var day = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        var size = ReleaseStore.SizeOf(release);
        var used = releases.PublishedBytesSince(person, day);
        if (used + size <= _limits.StoragePerPersonPerDayBytes) return null;
        return new Refusal(RefusalKind.UploadQuotaExceeded, "Your upload quota for today is used up",
            $"A person may publish {_limits.StoragePerPersonPerDayBytes:N0} bytes of releases a day (UTC), refused ones included; "
            + $"you have published {used:N0} bytes today and this release is {size:N0} bytes.")
        {
            RetryAfter = day.AddDays(1) - now,
        };
    }

    private static Refusal PersonRequired(string what) => new(RefusalKind.PersonRequired, "Your key names no person",
        $"To {what} a release a key must name the person it is for, since four eyes compare persons: ask an admin for a key "
        + "issued with --person (keys issued before keys named persons cannot publish or activate).");

    /// <summary>
    /// Four eyes: the release must have passed its checks and the approver must not be its publisher (neither the same
    /// key nor the same person id). A release recorded before keys named persons is activated only if it was once before.
    /// </summary>
    public async Task<Refusable<ActivationRecord>> ActivateAsync(ActiveRules? active, string sha256, ReleaseActor approver, DateTimeOffset? effectiveFrom,
        string note = "", CancellationToken cancellationToken = default)
    {
        if (approver.Person is null) return PersonRequired("activate");
        if (releases.Find(sha256) is not { } record) return Refusal.NotFound("release");
        if (!record.IsValid)
            return ActivationRefused($"release {sha256[..12]} did not compile or failed its cases: {string.Join("; ", record.Problems.Take(5))}");
        if (approver.IsSamePersonAs(record.PublishedBy, record.Publisher))
            return ActivationRefused($"release {sha256[..12]} was published by you; another person must approve and activate it");
        if (record.PublishedBy != ReleaseActor.Repository.Id && ReleaseActor.IsBeforePersonIds(record.PublisherPerson)
            && releases.Activations().All(a => a.ReleaseSha256 != sha256))
            return ActivationRefused($"release {sha256[..12]} was published before keys named persons, so who published it cannot be "
                + "compared; its author publishes it again (any change to pack.yaml, such as a comment, makes it a new release)");
        return await SwitchAsync(active, sha256, ActivationKind.Activate, approver, effectiveFrom, note, cancellationToken);
    }

    /// <summary>Back to the release that was in force before the current one (approved when it was first activated).</summary>
    public async Task<Refusable<ActivationRecord>> RollbackAsync(ActiveRules? active, ReleaseActor by, CancellationToken cancellationToken = default)
    {
        var history = releases.Activations().Where(a => a.EffectiveFrom <= clock.GetUtcNow()).ToArray();
        if (history.Length == 0) return RollbackRefused("nothing has been activated yet");
        var current = history[^1].ReleaseSha256;
        if (history.Reverse().Skip(1).FirstOrDefault(a => a.ReleaseSha256 != current) is not { } previous)
            return RollbackRefused("there is no earlier release to go back to");
        return await SwitchAsync(active, previous.ReleaseSha256, ActivationKind.Rollback, by, null, $"rolled back from {current[..12]}",
            cancellationToken);
    }

    private static Refusal ActivationRefused(string detail) => new(RefusalKind.ActivationRefused, "The release cannot be activated", detail);

    private static Refusal RollbackRefused(string detail) => new(RefusalKind.RollbackRefused, "There is nothing to roll back to", detail);

    // Without an active set (the command line) the release is only recorded; the services follow it.
    private async Task<ActivationRecord> SwitchAsync(ActiveRules? active, string sha256, ActivationKind kind, ReleaseActor by,
        DateTimeOffset? effectiveFrom, string note, CancellationToken cancellationToken)
    {
        var rules = active is null ? null : Compiled(sha256);
        var at = clock.GetUtcNow();
        var from = effectiveFrom ?? at;
        ActivationRecord? activation = null;
        // The activation and its audit entry: one transaction.
        await database.Writer.WriteAsync(async (connection, transaction) =>
        {
            activation = await ReleaseStore.AddActivationAsync(connection, transaction, sha256, kind, by, at, from, note);
            await AuditLog.RecordAsync(connection, transaction, by.Audit,
                kind == ActivationKind.Rollback ? AuditActions.ReleaseRolledBack : AuditActions.ReleaseActivated, sha256,
                $"effective {from:O}" + (note.Length > 0 ? $"; {note}" : ""), at);
        }, cancellationToken);
        active?.Activate(rules!, from);
        Interlocked.Exchange(ref _lastActivationSeen, activation!.Id);
        logger.LogInformation("Release {Release} activated ({Kind}) by {Actor}, effective {From}", sha256[..12], kind.Text(), by.Id, from);
        return activation;
    }

    /// <summary>
    /// At start: the repository's release if it is new (and valid), else the last activation, else the repository's.
    /// The repository's release is deployed code, reviewed before it was built into this service, so it is checked here.
    /// </summary>
    public async Task<RuleSet> LoadInitialAsync(RuleRelease repository, CancellationToken cancellationToken = default)
    {
        var activations = releases.Activations();
        if (releases.Find(repository.Sha256) is null)
        {
            var (check, pack, policies) = ReleaseChecker.Check(repository, packs: packs);
            var activates = check.Valid || activations.Count == 0;
            if (!check.Valid && activates)
                logger.LogWarning("The repository's rule release fails its checks: {Problems}", string.Join("; ", check.AllProblems));
            var at = clock.GetUtcNow();
            ActivationRecord? startup = null;
            // The repository's release, and its activation with its audit entry when it goes in force: one transaction.
            await database.Writer.WriteAsync(async (connection, transaction) =>
            {
                await ReleaseStore.SaveAsync(connection, transaction, repository, check, ReleaseActor.Repository,
                    "loaded from the repository at start", at, keepContent: true);
                if (!activates) return;
                const string why = "new release found in the repository at start";
                startup = await ReleaseStore.AddActivationAsync(connection, transaction, repository.Sha256, ActivationKind.Startup,
                    ReleaseActor.Repository, at, at, why);
                await AuditLog.RecordAsync(connection, transaction, ReleaseActor.Repository.Audit, AuditActions.ReleaseActivated,
                    repository.Sha256, why, at);
            }, cancellationToken);
            if (startup is not null)
            {
                _lastActivationSeen = startup.Id;
                return _compiled.GetOrAdd(repository.Sha256, new RuleSet(repository.Sha256,
                    packs.Add(pack ?? throw new RulePackException(repository.Pack.Name, check.Problems)), policies!)
                { ValueSets = repository.ValueSets() });
            }
        }
        var latest = activations.LastOrDefault(a => a.EffectiveFrom <= clock.GetUtcNow());
        _lastActivationSeen = activations.Count == 0 ? 0 : activations[^1].Id;
        return Compiled(latest?.ReleaseSha256 ?? repository.Sha256, repository);
    }

    /// <summary>Picks up activations another process (mgauth rules activate, another replica) recorded in the database.</summary>
    public void FollowActivations(ActiveRules active)
    {
        var latest = releases.LatestActivation();
        if (latest is null || latest.Id <= Interlocked.Read(ref _lastActivationSeen)) return;
        active.Activate(Compiled(latest.ReleaseSha256), latest.EffectiveFrom);
        Interlocked.Exchange(ref _lastActivationSeen, latest.Id);
        logger.LogInformation("Followed activation {Id} of release {Release}", latest.Id, latest.ReleaseSha256[..12]);
    }

    /// <summary>
    /// A release loaded into this process. Only for releases that were approved (activated) or that
    /// decided stored cases (explain, replay): a release merely published is never loaded here.
    /// </summary>
    public RuleSet Compiled(string sha256, RuleRelease? fallback = null) =>
        _compiled.GetOrAdd(sha256, sha => RuleSet.From(releases.Release(sha) ?? fallback ?? throw new KeyNotFoundException($"release {sha} is not stored"), packs));
}
