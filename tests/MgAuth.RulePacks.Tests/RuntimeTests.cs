using System.Text.RegularExpressions;

namespace MgAuth.RulePacks.Tests;

/// <summary>
/// The pack on NRules: every rule class is found (NRules resolves from the default load context, not
/// a copy in the pack's), and a rule that throws or never comes to rest fails its decision by name.
/// </summary>
public partial class RuntimeTests
{
    [GeneratedRegex(@"public sealed class \w+ : Rule\b")]
    private static partial Regex RuleClass();

    [Fact]
    public void Every_rule_class_in_the_pack_source_is_an_NRules_rule()
    {
        var classes = Repository.Pack.Source.RuleSources.Sum(f => RuleClass().Matches(f.Text).Count);

        Assert.True(classes > 50, $"only {classes} rule classes found in the source");
        Assert.Equal(classes, Repository.Pack.Rules.Count);
        Assert.All(Repository.Pack.Rules, r => Assert.NotNull(r.PolicyRef));
    }

    [Fact]
    public void Rules_are_named_by_their_class_and_carry_their_policy_row_and_priority()
    {
        var rule = Assert.Single(Repository.Pack.Rules, r => r.Name == "ModerateToSevereByQmg");

        Assert.Equal("§2 Moderate-to-severe", rule.PolicyRef);
        Assert.Equal(100, rule.Priority);
        Assert.Equal("MgAuth.Rules.IvigMg.ModerateToSevereByQmg", rule.Type.FullName);
    }

    [Fact]
    public void An_exception_in_a_condition_fails_the_decision_naming_the_rule()
    {
        var pack = WithRule("ThrowingCondition", """
            Member m = null!;
            When().Match(() => m, m => m.Age / (m.Age - m.Age) > 0);
            Then().Do(ctx => ctx.Insert(new DocumentedWorsening("never")));
            """);

        var e = Assert.Throws<DecisionFailedException>(() => Decide(pack));

        Assert.Equal("ThrowingCondition", e.Rule);
        Assert.Contains("DivideByZeroException", e.Message);
    }

    [Fact]
    public void An_exception_in_an_action_fails_the_decision_naming_the_rule()
    {
        var pack = WithRule("ThrowingAction", """
            Member m = null!;
            IEnumerable<CrisisCriterion> none = null!;
            When().Match(() => m).Query(() => none, q => q.Match<CrisisCriterion>().Collect());
            Then().Do(ctx => ctx.Insert(new DocumentedWorsening(none.First().Basis)));
            """);

        var e = Assert.Throws<DecisionFailedException>(() => Decide(pack));

        Assert.Equal("ThrowingAction", e.Rule);
        Assert.Contains("InvalidOperationException", e.Message);
    }

    [Fact]
    public void Rules_that_never_come_to_rest_stop_at_the_firing_limit_with_a_clear_error()
    {
        // Each firing inserts a new fact (told apart by identity) that matches the rule again.
        var pack = WithRule("EndlessChain", """
            DocumentedWorsening w = null!;
            When().Match(() => w);
            Then().Do(ctx => ctx.Insert(new DocumentedWorsening(w.Basis)));
            """);

        var e = Assert.Throws<DecisionFailedException>(() => Decide(pack, maxFirings: 200));

        Assert.Equal("EndlessChain", e.Rule);
        Assert.Contains("after 200 firings", e.Message);
    }

    [Fact]
    public void Decisions_made_at_once_on_one_pack_each_trace_only_their_own_firings()
    {
        // The trace handlers are attached once to the pack's session factory and find the decision by its session:
        // decisions on many threads at once must neither lose a firing nor take another decision's.
        var policy = Repository.Policies.Find(null)!;
        var requests = TestPacks.Examples.Select(TestPacks.Request).ToArray();
        var alone = requests.Select(r => Traced(Decider.Decide(Repository.Pack, r, policy, TestPacks.AsOf))).ToArray();

        var together = new string[requests.Length * 50];
        Parallel.For(0, together.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 },
            i => together[i] = Traced(Decider.Decide(Repository.Pack, requests[i % requests.Length], policy, TestPacks.AsOf)));

        Assert.Equal(requests.Length, alone.Distinct().Count());
        for (var i = 0; i < together.Length; i++) Assert.Equal(alone[i % requests.Length], together[i]);
    }

    private static string Traced(Domain.Decisions.Decision decision) =>
        string.Join(" ", decision.Trace.Select(t => $"{t.Seq}:{t.Rule}"));

    private static Domain.Decisions.Decision Decide(RulePack pack, int maxFirings = 10_000) =>
        Decider.Decide(pack, TestPacks.Request(TestPacks.Exacerbation), Repository.Policies.Find(null)!, TestPacks.AsOf,
            new DecideOptions { MaxFirings = maxFirings });

    private static RulePack WithRule(string name, string body)
    {
        using var pack = new TempPack();
        pack.Write($"{name}.cs", $$"""
            namespace MgAuth.Rules.IvigMg;

            [PolicyRow("§test", "a rule written to fail")]
            public sealed class {{name}} : Rule
            {
                public override void Define()
                {
                    {{body}}
                }
            }
            """);
        return RulePackCompiler.Load(pack.Folder);
    }
}
