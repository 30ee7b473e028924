namespace MgAuth.RulePacks;

/// <summary>Which rules and which policy rows the pack's cases make fire (the <c>opa test --coverage</c> idea).</summary>
public sealed record Coverage(IReadOnlyList<string> Rules, IReadOnlyList<string> RulesNotFired,
    IReadOnlyList<string> PolicyRows, IReadOnlyList<string> PolicyRowsNotReached)
{
    public double RulePercent => Rules.Count == 0 ? 100 : 100.0 * (Rules.Count - RulesNotFired.Count) / Rules.Count;
    public double RowPercent => PolicyRows.Count == 0 ? 100 : 100.0 * (PolicyRows.Count - PolicyRowsNotReached.Count) / PolicyRows.Count;

    public static Coverage Of(RulePack pack, IEnumerable<CaseResult> results)
    {
        var fired = results.SelectMany(r => r.FiredRules).ToHashSet(StringComparer.Ordinal);
        var definitions = pack.Rules;
        var rows = definitions
            .Select(d => (Row: d.PolicyRef, d.Name))
            .Where(x => x.Row is not null)
            .GroupBy(x => x.Row!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(x => x.Name).ToArray(), StringComparer.Ordinal);
        return new Coverage(
            definitions.Select(d => d.Name).ToArray(),
            definitions.Select(d => d.Name).Where(n => !fired.Contains(n)).ToArray(),
            rows.Keys.Order(StringComparer.Ordinal).ToArray(),
            rows.Where(r => !r.Value.Any(fired.Contains)).Select(r => r.Key).Order(StringComparer.Ordinal).ToArray());
    }
}
