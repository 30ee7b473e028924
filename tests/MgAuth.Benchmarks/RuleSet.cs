using MgAuth.Engine.Dsl;
using MgAuth.Engine.Model;

namespace MgAuth.Benchmarks;

/// <summary>Builds synthetic but realistic rule sets of any size from the templates.</summary>
public static class RuleSet
{
    private static readonly string[] Regions = ["north", "south", "east", "west"];
    private static readonly string[] Kinds = ["checking", "savings", "credit"];

    /// <summary>In every ten rules: 2 single-pattern, 2 two-pattern joins, 1 three-pattern join, 2 Not over derived facts,
    /// 1 Exists + Not, 1 derived-fact chain, 1 Collect + Having over derived facts.</summary>
    public static Rule Template(int k) => (k % 10) switch
    {
        0 or 1 => new AgeBand(Band(k), 18 + k * 7 % 50, 18 + k * 7 % 50 + 10),
        2 or 3 => new BalanceScore($"balance{k}", Kinds[k % 3], 500m + k * 731 % 20_000, k % 5 + 1),
        4 => new ForeignTransfer($"transfer{k}", Regions[k / 10 % 4], 500m + k * 397 % 6_000),
        5 or 6 => new ClearBand($"clear{k}", Band(k - 5)),
        7 => new VerifiedIncome($"income{k}", 20_000m + k * 1_301 % 80_000, 3),
        8 => new TagScore($"tag{k}", Band(k - 8), 2),
        _ => new ScoreThreshold($"threshold{k}", 4 + k % 7),
    };

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
