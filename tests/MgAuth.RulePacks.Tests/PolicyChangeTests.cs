using MgAuth.Domain.Decisions;
using MgAuth.Domain.Policies;
using MgAuth.RulePacks;

namespace MgAuth.RulePacks.Tests;

/// <summary>
/// The policy's numbers live in YAML: changing one changes decisions with the same compiled pack,
/// no rule edited.
/// </summary>
public class PolicyChangeTests
{
    private static Decision Decide(Policy policy, string example) =>
        Decider.Decide(Repository.Pack, TestPacks.Request(example), policy, TestPacks.AsOf);

    private static string[] Codes(Decision decision) => decision.Reasons.Select(r => r.Code).Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public void Lowering_the_course_ceiling_to_1_5_g_per_kg_turns_an_approval_into_a_dose_denial_with_the_new_vial_rounded_ceiling()
    {
        var standard = PolicyLoader.Parse(TestPacks.StandardYaml, "ivig-mg-standard.yaml");
        var lowered = PolicyLoader.Parse(
            PolicyLoaderTests.ReplaceValue(TestPacks.StandardYaml, "  courseCeilingGramsPerKg:", "1.5"), "ivig-mg-standard.yaml");
        Assert.Equal(1.5m, lowered.Dose.CourseCeilingGramsPerKg);

        // Exacerbation example: 30 g x 5 days = 150 g at a dosing weight of 78.0 kg (actual).
        var before = Decide(standard, TestPacks.Exacerbation);
        var after = Decide(lowered, TestPacks.Exacerbation);

        Assert.Equal(Outcome.Approve, before.Outcome);
        Assert.Contains("DOSE_WITHIN_COURSE_CEILING", Codes(before));
        Assert.Null(before.ApprovableAlternative);

        Assert.Equal(Outcome.Deny, after.Outcome);
        Assert.Equal(CaseStatus.Pended, after.Status);
        Assert.Equal(DenialKind.MedicalNecessity, after.DenialKind);
        var deny = Assert.Single(after.Reasons, r => r.Effect == ReasonEffect.Deny);
        Assert.Equal("DOSE_ABOVE_COURSE_CEILING", deny.Code);
        // 1.5 g/kg x 78.0 kg = 117 g, rounded up to the next 5 g vial: 120 g.
        Assert.Equal(new ApprovableAlternative(120m), after.ApprovableAlternative);
        Assert.Contains("150 g", deny.Message);
        Assert.Contains("1.5 g/kg", deny.Message);
        Assert.Contains("120 g", deny.Message);
        Assert.Null(after.Authorized);

        // Nothing else about the decision moved: same facts, same pack.
        Assert.Equal(before.DosingWeight, after.DosingWeight);
        Assert.Equal(before.RulePack, after.RulePack);
        Assert.Equal(
            Codes(before).Where(c => c != "DOSE_WITHIN_COURSE_CEILING"),
            Codes(after).Where(c => c != "DOSE_ABOVE_COURSE_CEILING"));
    }

    [Fact]
    public void Raising_the_course_ceiling_lets_the_over_ceiling_example_through()
    {
        var raised = PolicyLoader.Parse(
            PolicyLoaderTests.ReplaceValue(TestPacks.StandardYaml, "  courseCeilingGramsPerKg:", "4"), "ivig-mg-standard.yaml");

        // 78 g x 4 days = 312 g; 4 g/kg x 78.0 kg = 312 g.
        var decision = Decide(raised, TestPacks.OverCeiling);

        Assert.DoesNotContain("DOSE_ABOVE_COURSE_CEILING", Codes(decision));
        Assert.Contains("DOSE_WITHIN_COURSE_CEILING", Codes(decision));
    }

    [Fact]
    public void Turning_chronic_maintenance_off_in_the_standard_policy_makes_it_deny_like_the_restrictive_one()
    {
        var standard = PolicyLoader.Parse(TestPacks.StandardYaml, "ivig-mg-standard.yaml");
        var flipped = PolicyLoader.Parse(
            PolicyLoaderTests.ReplaceValue(TestPacks.StandardYaml, "  chronicMaintenanceCovered:", "false"), "ivig-mg-standard.yaml");
        var restrictive = Repository.Policies.Find("ivig-mg-restrictive")!;

        var before = Decide(standard, TestPacks.RefractoryMaintenance);
        var after = Decide(flipped, TestPacks.RefractoryMaintenance);
        var shipped = Decide(restrictive, TestPacks.RefractoryMaintenance);

        Assert.Equal(Outcome.Approve, before.Outcome);
        Assert.Equal(Outcome.Deny, after.Outcome);
        var deny = Assert.Single(after.Reasons, r => r.Effect == ReasonEffect.Deny);
        Assert.Equal("CHRONIC_MAINTENANCE_NOT_COVERED", deny.Code);
        Assert.Contains("168 days", deny.Message);
        Assert.Equal("ivig-mg-standard", after.Policy.Id);

        Assert.Equal(shipped.Outcome, after.Outcome);
        Assert.Equal(shipped.Status, after.Status);
        Assert.Equal(Codes(shipped), Codes(after));
    }

    [Fact]
    public void Turning_chronic_maintenance_on_in_the_restrictive_policy_makes_it_approve_like_the_standard_one()
    {
        var flipped = PolicyLoader.ParseSet(new Dictionary<string, string>
        {
            ["ivig-mg-standard.yaml"] = TestPacks.StandardYaml,
            ["ivig-mg-restrictive.yaml"] = PolicyLoaderTests.ReplaceValue(TestPacks.RestrictiveYaml, "  chronicMaintenanceCovered:", "true"),
        })["ivig-mg-restrictive"];
        var restrictive = Repository.Policies.Find("ivig-mg-restrictive")!;
        var standard = Repository.Policies.Find("ivig-mg-standard")!;

        var before = Decide(restrictive, TestPacks.RefractoryMaintenance);
        var after = Decide(flipped, TestPacks.RefractoryMaintenance);
        var shipped = Decide(standard, TestPacks.RefractoryMaintenance);

        Assert.Equal(Outcome.Deny, before.Outcome);
        Assert.Contains("CHRONIC_MAINTENANCE_NOT_COVERED", Codes(before));
        Assert.Equal(Outcome.Approve, after.Outcome);
        Assert.DoesNotContain("CHRONIC_MAINTENANCE_NOT_COVERED", Codes(after));
        Assert.Equal(shipped.Authorized, after.Authorized);
        Assert.Equal(Codes(shipped), Codes(after));
    }

    [Fact]
    public void A_changed_reason_sentence_appears_in_the_decision()
    {
        var yaml = TestPacks.StandardYaml;
        var line = PolicyLoaderTests.LineOf(yaml, "  DOSE_WITHIN_COURSE_CEILING:");
        var lines = yaml.Split('\n');
        var message = Array.FindIndex(lines, line, l => l.StartsWith("    message:", StringComparison.Ordinal));
        lines[message] = "    message: \"Course of {requested} g is fine (ceiling {ceiling} g).\"";
        var edited = PolicyLoader.Parse(string.Join('\n', lines), "ivig-mg-standard.yaml");

        var decision = Decide(edited, TestPacks.Exacerbation);

        Assert.Equal("Course of 150 g is fine (ceiling 160 g).", Assert.Single(decision.Reasons, r => r.Code == "DOSE_WITHIN_COURSE_CEILING").Message);
    }
}
