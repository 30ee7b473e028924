using MgAuth.RulePacks;

namespace MgAuth.RulePacks.Tests;

/// <summary>
/// Every rule of the pack is pinned down by at least one case: take it out and some case decides
/// differently. A rule no case notices could change or vanish unseen.
/// </summary>
public class RuleRemovalTests
{
    public static TheoryData<string> RuleNames()
    {
        var data = new TheoryData<string>();
        foreach (var rule in Repository.Pack.Rules) data.Add(rule.Name);
        return data;
    }

    [Fact]
    public void The_full_pack_passes_every_case()
    {
        var results = CaseRunner.RunAll(Repository.Pack, Repository.Policies);

        Assert.NotEmpty(results);
        var failed = results.Where(r => !r.Passed).Select(r => $"{r.Case.File}: {string.Join("; ", r.Differences)}").ToArray();
        Assert.True(failed.Length == 0, string.Join(Environment.NewLine, failed));
    }

    [Theory]
    [MemberData(nameof(RuleNames))]
    public void Removing_the_rule_makes_at_least_one_case_fail(string rule)
    {
        var reduced = Repository.Pack.WithRules(d => d.Name != rule);
        Assert.Equal(Repository.Pack.Rules.Count - 1, reduced.Rules.Count);

        var failed = CaseRunner.RunAll(reduced, Repository.Policies).Where(r => !r.Passed).ToArray();

        Assert.True(failed.Length > 0, $"Rule {rule} can be removed and every pack case still passes: no case depends on it.");
    }
}
