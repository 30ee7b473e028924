using MgAuth.Engine.Dsl;
using MgAuth.Engine.Model;

namespace MgAuth.Benchmarks;

/// <summary>Builds synthetic but realistic rule sets of any size from the templates.</summary>
public static class RuleSet
{
    private static readonly string[] Regions = ["north", "south", "east", "west"];
    private static readonly string[] Kinds = ["checking", "savings", "credit"];
    private static readonly string[] Documents = ["passport", "payslip"];

    /// <summary>In every ten rules: 2 single-pattern, 2 two-pattern joins, 1 three-pattern join, 2 Not over derived facts,
    /// 1 Exists + Not, 1 derived-fact chain, 1 Collect + Having over derived facts.</summary>
    public static Rule Template(int k) => (k % 10) switch
    {
        0 or 1 => new AgeBand(Band(k), 18 + Spread(k, 60), 18 + Spread(k, 60) + 6),
        2 or 3 => new BalanceScore($"balance{k}", Kinds[Spread(k, 3)], 500m + Spread(k, 40) * 1_000m, 1 + Spread(k, 5)),
        4 => new ForeignTransfer($"transfer{k}", Regions[Spread(k, 4)], 500m + Spread(k, 20) * 500m),
        5 or 6 => new ClearBand($"clear{k}", Band(k - 5)),
        7 => new VerifiedIncome($"income{k}", 30_000m + Spread(k, 100) * 1_000m, Documents[Spread(k, 2)], 3),
        8 => new TagScore($"tag{k}", Band(k - 8), 2),
        _ => new ScoreThreshold($"threshold{k}", Regions[Spread(k, 4)], 3 + Spread(k, 15)),
    };

    /// <summary>A fixed pseudo-random number in [0, n) for rule k: thresholds vary from rule to rule, the same every run.</summary>
    private static int Spread(int k, int n) => (int)((uint)(k + 1) * 2_654_435_761u >> 8) % n;

    private static string Band(int k) => $"band{k}";

    /// <summary>Rule definitions with unique names (the template's name plus its index).</summary>
    public static RuleDefinition[] Definitions(int count) =>
        Enumerable.Range(0, count).Select(Definition).ToArray();

    public static RuleDefinition Definition(int k)
    {
        var definition = Template(k).GetDefinition();
        return definition with { Name = $"{definition.Name}#{k}" };
    }
}
