using MgAuth.Cases.Data;
using MgAuth.Cases.Releases;
using MgAuth.Cases.Replay;
using MgAuth.RulePacks;

namespace MgAuth.Cli;

/// <summary><c>mgauth replay [--db PATH] [--id ID]</c>: re-decide stored requests with what decided them; any difference is a failure.</summary>
public static class ReplayCommand
{
    public static async Task<int> RunAsync(Options options, TextWriter stdout, TextWriter stderr)
    {
        var database = KeysCommand.OpenDatabase(options);
        // The repository's pack may be the port of a pack the database's decisions were made with.
        var repository = new Lazy<RulePack>(() => PackContext.Load(options).Pack);
        var replayer = new Replayer(new AuthorizationStore(database), new RuleVersionStore(database),
            new CompiledPacks(), () => repository.Value, new ApprovedReleases(database), new WarningWriter(stderr));
        var report = await replayer.ReplayAsync(options.Value("--id"));
        foreach (var difference in report.Differences)
            await stdout.WriteLineAsync($"DIFFERS {difference.AuthorizationId} revision {difference.Revision}: {difference.Detail}");
        await stdout.WriteLineAsync($"replayed {report.Replayed} decision(s): {report.Identical} identical, {report.Differences.Count} different");
        return report.Differences.Count == 0 ? Cli.Ok : Cli.InternalError;
    }
}
