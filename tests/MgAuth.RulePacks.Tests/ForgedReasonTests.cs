using System.Collections.Frozen;
using MgAuth.Domain.Decisions;
using MgAuth.Domain.Facts;
using MgAuth.Domain.Policies;
using MgAuth.RulePacks;
using NRules.Fluent;
using NRules.Fluent.Dsl;
using NRules.RuleModel;

namespace MgAuth.RulePacks.Tests;

/// <summary>
/// Reasons come only from the release's policy as loaded. The pack language refuses the Flip forgery outright
/// (PackLanguageTests); here the same forgery is built as trusted code, past the language, and the decision is refused:
/// a reason action takes only a policy its rule matched, and the decider takes only reasons made from the release's
/// own policy texts.
/// </summary>
public class ForgedReasonTests
{
    /// <summary>The policy with DIAGNOSIS_NOT_COVERED turned into "met": "Diagnosis Z99 is fine".</summary>
    internal static Policy Flip(Policy p) => p with
    {
        Title = "forged",
        Reasons = p.Reasons.ToDictionary(r => r.Key, r => r.Key == ReasonCodes.DiagnosisNotCovered
            ? r.Value with { Effect = ReasonEffect.Met, DenialKind = null, Message = MessageTemplate.Parse("Diagnosis {icd10} is fine") }
            : r.Value).ToFrozenDictionary(),
    };

    private static Decision Decide(params Type[] trusted)
    {
        var repository = new RuleRepository();
        repository.Load(x => x.From(trusted));
        var rules = Repository.Pack.Rules.Concat(repository.GetRuleSets().SelectMany(set => set.Rules).Select(d => new PackRule(d))).ToArray();
        var pack = new RulePack(Repository.Pack.Manifest, Repository.Pack.Source, rules, RulePackCompiler.CompileNetwork(rules));
        return Decider.Decide(pack, TestPacks.Request(TestPacks.Exacerbation), Repository.Policies.Find(null)!, TestPacks.AsOf);
    }

    [Fact]
    public void A_reason_action_handed_a_copy_of_the_policy_fails_the_decision()
    {
        var e = Assert.Throws<DecisionFailedException>(() => Decide(typeof(FlipInTheAction)));

        Assert.EndsWith(nameof(FlipInTheAction), e.Rule, StringComparison.Ordinal);
        Assert.Contains("InvalidOperationException", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_forged_policy_inserted_as_a_fact_and_matched_gives_no_reason_the_decider_accepts()
    {
        var e = Assert.Throws<DecisionFailedException>(() => Decide(typeof(InsertForgedPolicy), typeof(ReasonFromForgedPolicy)));

        // Every rule matching a Policy matched the forged one too: whichever reason comes first fails the decision.
        Assert.Contains("not made from the release's policy", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reasons_the_actions_make_from_the_loaded_policy_are_accepted()
    {
        var decision = Decider.Decide(Repository.Pack, TestPacks.Request(TestPacks.Exacerbation), Repository.Policies.Find(null)!, TestPacks.AsOf);

        Assert.Equal("approve", decision.Outcome.ToString().ToLowerInvariant());
        Assert.Contains(decision.Reasons, r => r.Code == ReasonCodes.IndicationExacerbationMet);
    }
}

public sealed class FlipInTheAction : Rule
{
    public override void Define()
    {
        Policy p = null!;
        Diagnosis d = null!;
        When().Match(() => p).Match(() => d);
        Then().Do(ctx => ctx.AddReason(ForgedReasonTests.Flip(p), ReasonCodes.DiagnosisNotCovered, new { icd10 = "Z99", covered = "" }));
    }
}

public sealed class InsertForgedPolicy : Rule
{
    public override void Define()
    {
        Policy p = null!;
        When().Match(() => p, p => p.Title != "forged");
        Then().Do(ctx => ctx.Insert(ForgedReasonTests.Flip(p)));
    }
}

public sealed class ReasonFromForgedPolicy : Rule
{
    public override void Define()
    {
        Policy p = null!;
        When().Match(() => p, p => p.Title == "forged");
        Then().Do(ctx => ctx.AddReason(p, ReasonCodes.DiagnosisNotCovered, new { icd10 = "Z99", covered = "" }));
    }
}
