using System.Globalization;
using MgAuth.Cases;
using MgAuth.Cases.Data;
using MgAuth.Cases.Releases;
using MgAuth.Cases.Security;
using MgAuth.RulePacks;
using MgAuth.RulePacks.Isolation;
using Microsoft.Extensions.Logging.Abstractions;

namespace MgAuth.Cli;

/// <summary>
/// <c>mgauth rules test [PACKDIR] [--policy ID] [--coverage] [--min-coverage N]</c>: the pack's cases, with what they cover;
/// <c>mgauth rules impact --db PATH --candidate PACKDIR [--policies DIR] [--policy ID] [--since DATE] [--per-case]</c>: what a candidate would change
/// (counts, under 11 hidden; --per-case: each changed case by id);
/// <c>mgauth rules publish [PACKDIR] [--policies DIR] [--db PATH] [--note TEXT] [--by NAME]</c>: publish a release;
/// <c>mgauth rules activate SHA256 --by NAME [--db PATH] [--note TEXT]</c> and <c>mgauth rules rollback --by NAME</c>: approve
/// (someone other than its publisher) or go back. Pack code runs in the worker process, never in this one.
/// </summary>
public static class RulesCommand
{
    public static async Task<int> RunAsync(Options options, TextWriter stdout) =>
        options.Positional.FirstOrDefault() switch
        {
            "test" => await TestAsync(options, stdout),
            "impact" => await ImpactAsync(options, stdout),
            "publish" => await PublishAsync(options, stdout),
            "activate" => await ActivateAsync(options, stdout),
            "rollback" => await RollbackAsync(options, stdout),
            _ => throw new UsageException("rules takes test, impact, publish, activate or rollback"),
        };

    private static PackWorker Worker() => new(new WorkerLimits());

    private static ReleaseService Releases(Database database) => new(database, Store(database), Worker(), new CompiledPacks(),
        TimeProvider.System, NullLogger<ReleaseService>.Instance);

    private static ReleaseStore Store(Database database) => new(database, new RuleVersionStore(database));

    private static async Task<int> ImpactAsync(Options options, TextWriter stdout)
    {
        var candidateFolder = options.Value("--candidate") ?? throw new UsageException("rules impact needs --candidate PACKDIR");
        var database = KeysCommand.OpenDatabase(options);
        var release = RuleRelease.FromFolders(candidateFolder, options.Folder("--policies", "policies"));
        var worker = Worker();
        var check = await worker.CheckAsync(release);
        if (!check.Valid)
        {
            await stdout.WriteLineAsync($"candidate {release.Sha256[..12]} did not pass its checks; impact runs only on a release that did:");
            foreach (var problem in check.AllProblems) await stdout.WriteLineAsync($"  {problem}");
            return Cli.InternalError;
        }
        var since = options.Value("--since") is null ? (DateOnly?)null : options.Date("--since", default);
        var analyzer = new ImpactAnalyzer(new AuthorizationStore(database), Store(database), worker,
            new AuditLog(database), new ApprovedReleases(database), new ImpactRunQuota(database, ImpactRunQuota.DefaultPerDay), TimeProvider.System);
        var findings = await analyzer.AnalyzeAsync(release, options.Value("--policy"), since);
        // The command line reaches the database itself, so it is a trusted path: no daily limit, and --per-case lists ids and
        // exact counts. By default it prints what a policy author sees, since its output travels as theirs does.
        var perCase = options.Has("--per-case");
        var approved = analyzer.IsApproved(release.Sha256);
        await analyzer.RecordAsync(ReleaseActor.CommandLine(options.Value("--by", Environment.UserName), "operator").Audit, findings, perCase, approved,
            "command line");
        var report = ImpactDisclosure.Shape(findings, perCase, approved);

        await stdout.WriteLineAsync($"candidate {report.CandidateSha256[..12]}: {report.Redecided} stored decision(s) re-decided, {report.Changed} would change"
            + (report.Skipped is { IsHidden: true } or { Exact: > 0 } ? $", {report.Skipped} skipped (policy not in the candidate)" : "")
            + (report.Failed is { IsHidden: true } or { Exact: > 0 } ? $", {report.Failed} failed in a rule" : ""));
        if (!perCase)
            await stdout.WriteLineAsync($"  counts under {ImpactDisclosure.SmallCountBelow} are shown as \"{ReportedCount.HiddenText}\"; --per-case lists the cases by id");
        foreach (var t in report.Transitions) await stdout.WriteLineAsync($"  {t.From} -> {t.To}: {t.Count}");
        foreach (var r in report.ByReasonCode) await stdout.WriteLineAsync($"  {r.Code}: +{r.Added} -{r.Removed}");
        foreach (var c in report.Changes)
            await stdout.WriteLineAsync($"  {c.AuthorizationId}: {c.From} -> {c.To}"
                + (c.ReasonsAdded.Count > 0 ? $" +[{string.Join(", ", c.ReasonsAdded)}]" : "")
                + (c.ReasonsRemoved.Count > 0 ? $" -[{string.Join(", ", c.ReasonsRemoved)}]" : ""));
        return Cli.Ok;
    }

    private static async Task<int> PublishAsync(Options options, TextWriter stdout)
    {
        if (options.Has("--activate"))
            throw new UsageException("a release is activated by someone other than its publisher: publish, then `mgauth rules activate SHA256 --by APPROVER`");
        var folder = options.Positional.ElementAtOrDefault(1) ?? options.Folder("--rules", Path.Combine("rules", "ivig-mg"));
        var releases = Releases(KeysCommand.OpenDatabase(options));
        var release = RuleRelease.FromFolders(folder, options.Folder("--policies", "policies"));
        var by = ReleaseActor.CommandLine(options.Value("--by", Environment.UserName), Roles.PolicyAuthor);
        var published = await releases.PublishAsync(release, by, options.Value("--note", ""));
        if (published.IsRefused(out var refusal))
        {
            stdout.WriteLine($"release {release.Sha256}: not published: {refusal.Title}. {refusal.Detail}");
            return Cli.InternalError;
        }
        var result = published.Value;
        stdout.WriteLine($"release {result.Sha256}: {(result.Valid ? "valid" : "REFUSED")}, cases {result.CasesPassed} passed, {result.CasesFailed} failed"
            + (result.AlreadyPublished ? " (already published)" : ""));
        foreach (var problem in result.Problems) stdout.WriteLine($"  {problem}");
        if (result.Valid) stdout.WriteLine($"to approve it, someone else runs: mgauth rules activate {result.Sha256} --by NAME");
        return result.Valid ? Cli.Ok : Cli.InternalError;
    }

    private static async Task<int> ActivateAsync(Options options, TextWriter stdout)
    {
        var sha = options.Positional.ElementAtOrDefault(1) ?? throw new UsageException("rules activate needs the release's SHA256");
        var by = options.Value("--by") ?? throw new UsageException("rules activate needs --by NAME (the approver; not the publisher)");
        var releases = Releases(KeysCommand.OpenDatabase(options));
        var activation = await releases.ActivateAsync(null, sha, ReleaseActor.CommandLine(by, Roles.PolicyApprover), null, note: options.Value("--note", ""));
        if (activation.IsRefused(out var refusal))
            throw new UsageException(refusal.Kind == RefusalKind.NotFound ? $"no release {sha}" : refusal.Detail);
        stdout.WriteLine("activated; a running service follows within a few seconds");
        return Cli.Ok;
    }

    private static async Task<int> RollbackAsync(Options options, TextWriter stdout)
    {
        var by = options.Value("--by") ?? throw new UsageException("rules rollback needs --by NAME");
        var releases = Releases(KeysCommand.OpenDatabase(options));
        var rollback = await releases.RollbackAsync(null, ReleaseActor.CommandLine(by, Roles.PolicyApprover));
        if (rollback.IsRefused(out var refusal)) throw new UsageException(refusal.Detail);
        stdout.WriteLine($"rolled back to {rollback.Value.ReleaseSha256}; a running service follows within a few seconds");
        return Cli.Ok;
    }

    private static async Task<int> TestAsync(Options options, TextWriter stdout)
    {
        var folder = options.Positional.ElementAtOrDefault(1) ?? options.Folder("--rules", Path.Combine("rules", "ivig-mg"));
        var release = RuleRelease.FromFolders(folder, options.Folder("--policies", "policies"));
        var only = options.Value("--policy");
        if (only is not null && !Domain.Policies.PolicyLoader.ParseUsable(release.PolicyFiles).Any(p => p.Id == only))
            throw new UsageException($"--policy {only} is not a policy here");

        ReleaseCheck check;
        try { check = await Worker().CheckAsync(release, only); }
        catch (PackWorkerException e)
        {
            stdout.WriteLine(e.Message);
            return Cli.InternalError;
        }
        if (!check.Compiled)
        {
            foreach (var problem in check.Problems) stdout.WriteLine(problem);
            return Cli.InternalError;
        }
        foreach (var problem in check.Problems) stdout.WriteLine($"ERROR {problem}");
        foreach (var result in check.Cases)
        {
            stdout.WriteLine($"{(result.Passed ? "PASS" : "FAIL")}  {result.File}  [{result.PolicyId}]");
            foreach (var difference in result.Differences) stdout.WriteLine($"        {difference}");
        }
        stdout.WriteLine($"{check.Passed} passed, {check.Failed} failed  (pack {check.PackId} {check.PackVersion} {release.Pack.Sha256[..12]})");

        var exit = check.Failed == 0 && check.Problems.Count == 0 ? Cli.Ok : Cli.InternalError;
        if (!options.Has("--coverage") && options.Value("--min-coverage") is null) return exit;

        var coverage = check.Coverage!;
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"coverage: rules {coverage.Rules.Count - coverage.RulesNotFired.Count}/{coverage.Rules.Count} ({coverage.RulePercent:0.0}%), policy rows {coverage.PolicyRows.Count - coverage.PolicyRowsNotReached.Count}/{coverage.PolicyRows.Count} ({coverage.RowPercent:0.0}%)"));
        foreach (var rule in coverage.RulesNotFired) stdout.WriteLine($"  rule never fired: {rule}");
        foreach (var row in coverage.PolicyRowsNotReached) stdout.WriteLine($"  policy row never reached: {row}");
        if (options.Value("--min-coverage") is { } min)
        {
            if (!double.TryParse(min, NumberStyles.Float, CultureInfo.InvariantCulture, out var minimum))
                throw new UsageException("--min-coverage takes a percentage");
            if (Math.Min(coverage.RulePercent, coverage.RowPercent) < minimum)
            {
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"coverage is below the required {minimum}%"));
                exit = Cli.InternalError;
            }
        }
        return exit;
    }
}
