using MgAuth.Domain.Decisions;
using MgAuth.RulePacks;

namespace MgAuth.RulePacks.Tests;

/// <summary>What the sandbox cannot see at load: a pack rule's reasons at decision time.</summary>
public class SandboxDecisionTests
{
    /// <summary>The pack with one more rule that always fires and runs <paramref name="action"/>.</summary>
    private static RulePack PackWithProbe(string action)
    {
        using var pack = new TempPack();
        pack.Write("SandboxProbe.cs", $$"""
            namespace MgAuth.Rules.IvigMg;

            public sealed class SandboxProbe : Rule
            {
                public override void Define()
                {
                    Policy p = null!;
                    When().Match(() => p);
                    Then().Do(ctx => {{action}});
                }
            }
            """);
        return RulePackCompiler.Load(pack.Folder);
    }

    private static Decision Decide(RulePack pack) =>
        Decider.Decide(pack, TestPacks.Request(TestPacks.Exacerbation), Repository.Policies.Find(null)!, TestPacks.AsOf);

    [Theory]
    [InlineData("ctx.AddReason(p, \"PHI_LEAK\", new { })")]
    [InlineData("ctx.AddReasonWithAlternative(p, \"PHI_LEAK\", 1m, new { })")]
    public void A_reason_code_the_policy_does_not_define_fails_the_decision_naming_the_rule(string action)
    {
        var pack = PackWithProbe(action);

        var ex = Assert.Throws<DecisionFailedException>(() => Decide(pack));

        Assert.Equal("SandboxProbe", ex.Rule);
        Assert.Contains("PHI_LEAK", ex.Message, StringComparison.Ordinal);
    }
}
