using System.Text.Json.Nodes;
using MgAuth.Domain.Policies;
using MgAuth.Domain.Terminology;
using MgAuth.RulePacks.Isolation;

namespace MgAuth.RulePacks.Tests;

/// <summary>Value sets are policy data: they travel in the release, its hash covers them, and one that makes a code ambiguous is refused.</summary>
public class ValueSetReleaseTests
{
    private static readonly RuleRelease Shipped = RuleRelease.FromFolders(Repository.PackFolder, Repository.PoliciesFolder);

    private static RuleRelease With(string file, Func<JsonObject, JsonObject> change)
    {
        var files = new Dictionary<string, string>(Shipped.PolicyFiles, StringComparer.Ordinal);
        files[file] = change(JsonNode.Parse(files[file])!.AsObject()).ToJsonString();
        return new RuleRelease(Shipped.Pack, files);
    }

    [Fact]
    public void The_shipped_release_carries_its_value_sets_each_with_its_source_and_version()
    {
        var sets = Shipped.ValueSets().All;

        Assert.Contains(Shipped.PolicyFiles.Keys, k => k == "valuesets/ivig-product-privigen.json");
        Assert.True(sets.Length >= 30, $"{sets.Length} value sets");
        Assert.All(sets, s =>
        {
            Assert.StartsWith("http://mgauth.example/fhir/ValueSet/", s.Url, StringComparison.Ordinal);
            Assert.False(string.IsNullOrEmpty(s.Version));
            Assert.All(s.Concepts, c => Assert.False(string.IsNullOrEmpty(c.SystemVersion), $"{s.File} {c.Code}"));
        });
        // Every formulary product of every policy has its value set, by the name the formulary gives it.
        var products = sets.Where(s => s.Fact == ContractFacts.IvigProduct).Select(s => s.Title).ToHashSet(StringComparer.Ordinal);
        foreach (var policy in Repository.Policies.All.Values)
            Assert.All(policy.Formulary, product => Assert.Contains(product, products));
        // Every agent value set names an agent of the policy.
        var agents = Repository.Policies.All.Values.SelectMany(p => p.Agents).Select(a => a.Name).ToHashSet(StringComparer.Ordinal);
        Assert.All(sets.Where(s => s.Fact == ContractFacts.TherapyAgent), s => Assert.Contains(s.Title, agents));
    }

    [Fact]
    public void A_changed_value_set_is_a_new_release_and_the_policies_still_load()
    {
        var changed = With("valuesets/heart-failure.json", vs =>
        {
            vs["compose"]!["include"]![0]!["concept"]!.AsArray().Add(new JsonObject { ["code"] = "I50.810" });
            return vs;
        });

        Assert.NotEqual(Shipped.Sha256, changed.Sha256);
        Assert.Equal(Shipped.Pack.Sha256, changed.Pack.Sha256);
        var (_, policies) = changed.Load();
        Assert.Equal(Repository.Policies.All.Keys.Order(), policies.All.Keys.Order());
    }

    [Fact]
    public void A_release_whose_value_set_names_a_code_in_two_products_is_refused()
    {
        // J1459 is Privigen's; an attacker's edit claims it for Gammaplex too, so the code would decide the product by file order.
        var ambiguous = With("valuesets/ivig-product-gammaplex.json", vs =>
        {
            vs["compose"]!["include"]![0]!["concept"]!.AsArray().Add(new JsonObject { ["code"] = "J1459" });
            return vs;
        });

        var refused = Assert.Throws<PolicyLoadException>(ambiguous.ValueSets);
        Assert.Contains(refused.Problems, p => p.Contains("J1459", StringComparison.Ordinal) && p.Contains("ivig-product-privigen.json", StringComparison.Ordinal));
        var (check, _, _) = ReleaseChecker.Check(ambiguous);
        Assert.False(check.Valid);
        Assert.Contains(check.AllProblems, p => p.Contains("J1459", StringComparison.Ordinal));
    }

    [Fact]
    public void An_NDC_in_another_form_is_the_same_package_and_cannot_be_claimed_twice()
    {
        var ambiguous = With("valuesets/ivig-product-bivigam.json", vs =>
        {
            vs["compose"]!["include"]![1]!["concept"]!.AsArray().Add(new JsonObject { ["code"] = "44206043710" });
            return vs;
        });

        Assert.Throws<PolicyLoadException>(ambiguous.ValueSets);
    }

    [Theory]
    [InlineData("""{"resourceType":"CodeSystem"}""", "must be a FHIR ValueSet")]
    [InlineData("""{"resourceType":"ValueSet","url":"u","version":"1","title":"t","compose":{"include":[{"system":"s","version":"1","concept":[{"code":"c"}]}]}}""", "contract-fact")]
    [InlineData("""{"resourceType":"ValueSet","extension":[{"url":"http://mgauth.example/fhir/StructureDefinition/contract-fact","valueString":"regimen.product"}],"url":"u","version":"1","title":"t","compose":{"include":[{"system":"s","version":"1","concept":[{"code":"c"}]}]}}""", "not one of")]
    [InlineData("""{"resourceType":"ValueSet","extension":[{"url":"http://mgauth.example/fhir/StructureDefinition/contract-fact","valueString":"clinical.heartFailure"}],"url":"u","version":"1","title":"t","compose":{"include":[{"system":"s","concept":[{"code":"c"}]}]}}""", "version is required")]
    [InlineData("""{"resourceType":"ValueSet","extension":[{"url":"http://mgauth.example/fhir/StructureDefinition/contract-fact","valueString":"clinical.heartFailure"}],"url":"u","version":"1","title":"t","compose":{"include":[{"system":"s","version":"1","filter":[{"property":"concept","op":"is-a","value":"84114007"}]}]}}""", "filters")]
    [InlineData("not json", "is not JSON")]
    public void A_value_set_that_cannot_be_read_is_refused_naming_why(string text, string problem)
    {
        var files = new Dictionary<string, string>(Shipped.PolicyFiles, StringComparer.Ordinal) { ["valuesets/zz-broken.json"] = text };

        var refused = Assert.Throws<PolicyLoadException>(() => new RuleRelease(Shipped.Pack, files).Load());

        Assert.Contains(refused.Problems, p => p.StartsWith("valuesets/zz-broken.json", StringComparison.Ordinal) && p.Contains(problem, StringComparison.Ordinal));
    }
}
