using Hl7.Fhir.Model;

namespace MgAuth.Fhir.Tests;

/// <summary>What a Claim update names (<see cref="ClaimUpdate"/>), and how an inquiry's example admits a stored request (<see cref="ClaimExample"/>).</summary>
public sealed class ClaimUpdateAndExampleTests
{
    private static Bundle Example(string file) =>
        PasRequestReader.BundleOf(File.ReadAllText(Path.Combine(FhirValidation.PackageFolder, "examples", file)))!;

    private static Claim ClaimOf(Bundle bundle) => (Claim)bundle.Entry[0].Resource!;

    [Fact]
    public void The_guides_update_example_names_the_first_Claim_by_reference()
    {
        var update = ClaimOf(Example("Bundle-HomecareAuthorizationUpdateBundleExample.json"));

        var named = Assert.Single(ClaimUpdate.PriorOf(update));

        Assert.Null(named.System);
        Assert.Equal("HomecareAuthorizationExample", named.Value);
        Assert.Empty(ClaimUpdate.PriorOf(ClaimOf(Example("Bundle-HomecareAuthorizationBundleExample.json"))));
    }

    [Fact]
    public void A_related_Claim_of_another_relationship_or_naming_nothing_is_no_update()
    {
        var claim = ClaimOf(Example("Bundle-HomecareAuthorizationBundleExample.json"));
        claim.Related.Add(new Claim.RelatedClaimComponent
        {
            Claim = new ResourceReference { Identifier = new Identifier("urn:x", "A1") },
            Relationship = new CodeableConcept("http://terminology.hl7.org/CodeSystem/ex-relatedclaimrelationship", "associated"),
        });
        claim.Related.Add(new Claim.RelatedClaimComponent
        {
            Claim = new ResourceReference { Identifier = new Identifier("urn:x", "") },
            Relationship = new CodeableConcept("urn:another-system", ClaimUpdate.Prior),
        });

        Assert.Empty(ClaimUpdate.PriorOf(claim));
    }

    [Fact]
    public void An_inquiry_admits_a_request_only_where_every_criterion_it_gives_fits()
    {
        // The guide's example gives no service dates: a period for its first item.
        var stored = Example("Bundle-HomecareAuthorizationBundleExample.json");
        ClaimOf(stored).Item[0].Serviced = new Period { Start = "2026-12-01", End = "2026-12-05" };
        var held = ClaimExample.Of(stored);
        Assert.NotEmpty(held.Members);
        Assert.NotEmpty(held.Providers);
        Assert.NotEmpty(held.Services);
        Assert.NotEmpty(held.Dates);
        var (from, through) = Assert.Single(held.Dates);
        Assert.Equal((new DateOnly(2026, 12, 1), new DateOnly(2026, 12, 5)), (from, through));

        Assert.True(new ClaimExample(new HashSet<string>(), new HashSet<string>(), new HashSet<string>(), []).Admits(held));
        Assert.True((held with { Dates = [(through, through.AddDays(9))] }).Admits(held));
        Assert.False((held with { Dates = [(through.AddDays(1), through.AddDays(30))] }).Admits(held));
        Assert.False((held with { Members = new HashSet<string> { "someone else" } }).Admits(held));
        Assert.False((held with { Providers = new HashSet<string> { "1111111112" } }).Admits(held));
        Assert.False((held with { Services = new HashSet<string> { "urn:x|J9999" } }).Admits(held));
    }
}
