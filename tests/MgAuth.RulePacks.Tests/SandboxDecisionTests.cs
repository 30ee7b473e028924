using System.Globalization;
using MgAuth.Domain.Decisions;
using MgAuth.RulePacks;

namespace MgAuth.RulePacks.Tests;

/// <summary>Pack code as it runs: the reasons it makes and how it formats them, whatever the host.</summary>
public class SandboxDecisionTests
{
    /// <summary>The pack with one more rule that always fires and runs <paramref name="action"/>; its Define() first runs <paramref name="define"/>.</summary>
    private static RulePack PackWithProbe(string action, string define = "")
    {
        using var pack = new TempPack();
        pack.Write("SandboxProbe.cs", $$"""
            namespace MgAuth.Rules.IvigMg;

            public sealed class SandboxProbe : Rule
            {
                public override void Define()
                {
                    Policy p = null!;
                    {{define}}
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
        // The code is pack text (it could be built from member data): the failure names the rule and the exception's type only.
        Assert.Contains("KeyNotFoundException", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("PHI_LEAK", ex.Message, StringComparison.Ordinal);
    }

    // Rule code formats with the current culture; a replay on a host with another culture must read the same.
    [Fact]
    public void Rule_code_formats_numbers_the_same_on_a_host_with_another_culture()
    {
        var pack = PackWithProbe("ctx.AddReason(p, ReasonCodes.DiagnosisCovered, new { icd10 = $\"{1.5m}/{2.25m}\" })");

        var decision = OnHostWithDecimalComma(() => Decide(pack));

        var probe = Assert.Single(decision.Reasons, r => r.Rule == "SandboxProbe");
        Assert.Equal("Diagnosis 1.5/2.25 is myasthenia gravis, covered by this policy.", probe.Message);
    }

    /// <summary>Runs <paramref name="run"/> with a current culture whose decimal separator is a comma, then restores the culture.</summary>
    private static T OnHostWithDecimalComma<T>(Func<T> run)
    {
        var host = (CultureInfo)CultureInfo.InvariantCulture.Clone();
        host.NumberFormat.NumberDecimalSeparator = ",";
        host.NumberFormat.NumberGroupSeparator = ".";
        var (culture, uiCulture) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = host;
            var result = run();
            Assert.Same(host, CultureInfo.CurrentCulture);
            return result;
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
            CultureInfo.CurrentUICulture = uiCulture;
        }
    }
}
