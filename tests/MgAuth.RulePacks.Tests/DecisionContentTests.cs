using System.Text.Json;
using MgAuth.Domain.Decisions;
using MgAuth.Domain.Facts;
using MgAuth.Domain.Policies;
using MgAuth.RulePacks;

namespace MgAuth.RulePacks.Tests;

/// <summary>
/// What every decision carries so that a reviewer, an auditor or a provider can read it:
/// which pack (by content hash) and policy decided it, the dosing weight, reasons with their
/// policy section and evidence, the trace, and on request why each other rule did not fire.
/// </summary>
public class DecisionContentTests
{
    public static TheoryData<string> Examples()
    {
        var data = new TheoryData<string>();
        foreach (var example in TestPacks.Examples) data.Add(example);
        return data;
    }

    private static Decision Decide(string example, bool explain = false) =>
        Decider.Decide(Repository.Pack, TestPacks.Request(example), Repository.Policies.Find(null)!, TestPacks.AsOf,
            new DecideOptions { Explain = explain });

    [Theory]
    [MemberData(nameof(Examples))]
    public void Every_decision_names_its_pack_by_content_hash_and_its_policy(string example)
    {
        var decision = Decide(example);

        Assert.Equal("ivig-mg", decision.RulePack.Id);
        Assert.Equal(Repository.Pack.Manifest.Version, decision.RulePack.Version);
        Assert.False(string.IsNullOrWhiteSpace(decision.RulePack.Version));
        Assert.Matches("^[0-9a-f]{64}$", decision.RulePack.Sha256);
        Assert.Equal(PackSource.FromFolder(Repository.PackFolder).Sha256, decision.RulePack.Sha256);
        Assert.Equal("ivig-mg-standard", decision.Policy.Id);
        Assert.Equal(Repository.Policies.Find("ivig-mg-standard")!.Version, decision.Policy.Version);
        Assert.Equal(TestPacks.AsOf, decision.AsOf);
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Every_decision_shows_the_dosing_weight_and_reasons_that_cite_the_policy(string example)
    {
        var decision = Decide(example);

        Assert.True(decision.DosingWeight!.Kg > 0);
        Assert.True(decision.DosingWeight!.IdealKg > 0);
        Assert.True(Enum.IsDefined(decision.DosingWeight!.Method));
        Assert.NotEmpty(decision.Reasons);
        var ruleNames = Repository.Pack.Rules.Select(d => d.Name).ToHashSet();
        Assert.All(decision.Reasons, r =>
        {
            Assert.Contains(r.Code, ReasonCodes.All);
            Assert.StartsWith("§", r.PolicyRef);
            Assert.False(string.IsNullOrWhiteSpace(r.Evidence), $"{r.Code} has no evidence");
            Assert.False(string.IsNullOrWhiteSpace(r.Message), $"{r.Code} has no message");
            Assert.DoesNotContain("{", r.Message);
            Assert.Contains(r.Rule, ruleNames);
        });
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Every_decision_has_a_trace_of_the_rules_that_fired_in_order(string example)
    {
        var decision = Decide(example);

        Assert.NotEmpty(decision.Trace);
        Assert.Equal(Enumerable.Range(1, decision.Trace.Count), decision.Trace.Select(t => t.Seq));
        var ruleNames = Repository.Pack.Rules.Select(d => d.Name).ToHashSet();
        Assert.All(decision.Trace, t =>
        {
            Assert.Contains(t.Rule, ruleNames);
            Assert.NotEmpty(t.Facts);
        });
        // Every reason was added by a rule that appears in the trace.
        Assert.All(decision.Reasons, r => Assert.Contains(decision.Trace, t => t.Rule == r.Rule));
        Assert.Null(decision.Explain);
    }

    [Fact]
    public void The_exacerbation_example_decision_has_its_dosing_weight_and_serializes_with_the_contract_names()
    {
        var decision = Decide(TestPacks.Exacerbation);

        // Male, 176 cm: IBW = 50 + 2.3 x (176 / 2.54 - 60) = 71.37 kg; 78 kg <= 1.2 x IBW, so actual weight.
        Assert.Equal(78.0m, decision.DosingWeight!.Kg);
        Assert.Equal(DosingWeightMethod.Actual, decision.DosingWeight!.Method);
        Assert.Equal(71.4m, Math.Round(decision.DosingWeight!.IdealKg, 1));

        var json = JsonSerializer.SerializeToElement(decision, MgAuthJson.Compact);
        Assert.Equal("approve", json.GetProperty("decision").GetString());
        Assert.Equal("actual", json.GetProperty("dosingWeight").GetProperty("method").GetString());
        Assert.Equal(decision.RulePack.Sha256, json.GetProperty("rulePack").GetProperty("sha256").GetString());
        Assert.Equal("ivig-mg-standard", json.GetProperty("policy").GetProperty("id").GetString());
        var reason = json.GetProperty("reasons")[0];
        foreach (var name in new[] { "code", "effect", "message", "policyRef", "evidence", "rule" })
            Assert.True(reason.TryGetProperty(name, out _), $"reason lacks {name}");
        Assert.Equal(1, json.GetProperty("trace")[0].GetProperty("seq").GetInt32());
    }

    [Fact]
    public void The_over_ceiling_denial_states_the_members_own_numbers()
    {
        var decision = Decide(TestPacks.OverCeiling);

        Assert.Equal(Outcome.Deny, decision.Outcome);
        var deny = Assert.Single(decision.Reasons, r => r.Effect == ReasonEffect.Deny);
        Assert.Equal("DOSE_ABOVE_COURSE_CEILING", deny.Code);
        Assert.Equal("§4 D1", deny.PolicyRef);
        Assert.Equal("DoseAboveCourseCeiling", deny.Rule);
        // 78 g x 4 days = 312 g requested; 2 g/kg x 78.0 kg = 156 g, vial-rounded to 160 g.
        Assert.Contains("312 g", deny.Message);
        Assert.Contains("160 g", deny.Message);
        Assert.Contains("2 g/kg", deny.Message);
        Assert.Contains("78 kg", deny.Message);
        Assert.Equal(new ApprovableAlternative(160m), decision.ApprovableAlternative);
        // The denial is the first reason a reader sees.
        Assert.Equal(deny, decision.Reasons[0]);
    }

    [Fact]
    public void Explain_lists_every_rule_that_did_not_fire_with_its_failing_condition_or_reason()
    {
        var decision = Decide(TestPacks.Exacerbation, explain: true);

        Assert.NotNull(decision.Explain);
        var fired = decision.Trace.Select(t => t.Rule).ToHashSet();
        var all = Repository.Pack.Rules.Select(d => d.Name).ToHashSet();
        Assert.Equal(all.Except(fired).Order(StringComparer.Ordinal), decision.Explain!.Select(w => w.Rule).Order(StringComparer.Ordinal));
        Assert.All(decision.Explain!, w =>
        {
            Assert.False(string.IsNullOrWhiteSpace(w.Reason), $"{w.Rule} says nothing");
            Assert.True(w.Condition is not null || w.Reason.Length > 0);
            Assert.StartsWith("§", w.PolicyRef);
        });
        // Explaining changes nothing about the decision itself.
        var plain = Decide(TestPacks.Exacerbation);
        Assert.Equal(plain.Outcome, decision.Outcome);
        Assert.Equal(plain.Reasons, decision.Reasons);
    }

    [Fact]
    public void Explain_shows_why_the_pediatric_rule_did_not_fire_with_the_members_age()
    {
        var decision = Decide(TestPacks.Exacerbation, explain: true);

        var why = Assert.Single(decision.Explain!, w => w.Rule == "PediatricRequest");
        Assert.Equal("§3 G4", why.PolicyRef);
        Assert.NotNull(why.Condition);
        Assert.Contains("m.Age < p.PediatricAgeBelow", why.Condition);
        Assert.Equal("the condition is false", why.Reason);
        // Born 1957-09-02, decided 2026-11-22: 69.
        Assert.Equal(69, Assert.IsType<int>(why.Values["m.Age"]));
        Assert.Equal(18, Assert.IsType<int>(why.Values["p.PediatricAgeBelow"]));

        var json = JsonSerializer.SerializeToElement(decision, MgAuthJson.Compact);
        var entry = json.GetProperty("explain").EnumerateArray().Single(e => e.GetProperty("rule").GetString() == "PediatricRequest");
        Assert.Equal(69, entry.GetProperty("values").GetProperty("m.Age").GetInt32());
    }

    [Fact]
    public void The_pack_hash_depends_on_the_content_of_its_files()
    {
        using var copy = new TempPack();
        var original = PackSource.FromFolder(Repository.PackFolder).Sha256;

        Assert.Equal(original, PackSource.FromFolder(copy.Folder).Sha256);

        File.AppendAllText(copy.PathOf("Gates.cs"), "// an edit\n");
        var edited = PackSource.FromFolder(copy.Folder).Sha256;

        Assert.Matches("^[0-9a-f]{64}$", edited);
        Assert.NotEqual(original, edited);
    }

    [Fact]
    public void The_pack_hash_changes_when_a_case_is_added_and_is_carried_into_decisions()
    {
        using var copy = new TempPack();
        File.Copy(copy.PathOf("cases/061-example-exacerbation.json"), copy.PathOf("cases/999-extra.json"));

        var pack = RulePackCompiler.Load(copy.Folder);
        var decision = Decider.Decide(pack, TestPacks.Request(TestPacks.Exacerbation), Repository.Policies.Find(null)!, TestPacks.AsOf);

        Assert.NotEqual(Repository.Pack.Sha256, pack.Sha256);
        Assert.Equal(pack.Sha256, decision.RulePack.Sha256);
    }
}
