using System.Text.Json;
using MgAuth.Domain.Decisions;
using MgAuth.Domain.Requests;
using MgAuth.RulePacks;

namespace MgAuth.Cli;

/// <summary><c>mgauth decide FILE... [--policy ID] [--as-of YYYY-MM-DD] [--explain]</c>, as the contract specifies.</summary>
public static class DecideCommand
{
    public static async Task<int> RunAsync(Options options, TextReader stdin, TextWriter stdout)
    {
        if (options.Positional.Count == 0) throw new UsageException("decide needs at least one FILE (or - for stdin)");
        var asOf = options.Date("--as-of", DateOnly.FromDateTime(DateTime.UtcNow));
        var policy = options.Value("--policy");
        var context = PackContext.Load(options);
        if (policy is not null && context.Policies.Find(policy) is null)
            throw new UsageException($"--policy {policy} is not a policy here; known: {string.Join(", ", context.Policies.All.Keys)}");

        var single = options.Positional.Count == 1;
        var rejected = false;
        foreach (var file in options.Positional)
        {
            var (decision, problem) = await RequestFiles.ReadAsync(file, stdin) is { } bytes
                ? context.Decide(bytes, asOf, policy, options.Has("--explain"))
                : DecideResult.Rejected(RequestFiles.Unreadable(file));
            rejected |= problem is not null;
            object output = single
                ? decision ?? (object)problem!
                : decision is not null ? new { file, decision } : new { file, problem };
            await stdout.WriteLineAsync(JsonSerializer.Serialize(output, single ? MgAuthJson.Indented : MgAuthJson.Compact));
        }
        return rejected ? Cli.Rejected : Cli.Ok;
    }
}
