using Hl7.Fhir.Model;
using MgAuth.Api.Fhir;
using MgAuth.Api.Tests.Support;
using MgAuth.Cases.Releases;
using MgAuth.Fhir;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using static MgAuth.Api.Tests.Support.FhirCalls;
using Task = System.Threading.Tasks.Task;

namespace MgAuth.Api.Tests;

/// <summary>
/// The member's plan (Coverage.class plan) chooses the policy through the configured plan table (appsettings Plans:Policies);
/// the plan's text is never a policy id. And an IVIG item with its infusion line is decided as one IVIG request.
/// </summary>
public sealed class PlanRoutingTests(MgAuthFactory factory) : IClassFixture<MgAuthFactory>
{
    private static Bundle WithPlan(string? plan)
    {
        var bundle = BundleOf(Examples.ForNewMember("exacerbation"));
        var coverage = bundle.Entry.Select(e => e.Resource).OfType<Coverage>().Single();
        coverage.Class.Clear();
        if (plan is not null)
            coverage.Class.Add(new Coverage.ClassComponent { Type = new CodeableConcept("http://terminology.hl7.org/CodeSystem/coverage-class", "plan"), Value = plan });
        return bundle;
    }

    private async Task<string> PolicyOfAsync(Bundle bundle)
    {
        var answer = await factory.ProviderA.SubmitFhirOkAsync(bundle);
        var stored = await factory.ProviderA.GetOkAsync($"/v1/authorizations/{ClaimResponseOf(answer).Id()}");
        return (string)stored["policy"]!["id"]!;
    }

    [Theory]
    [InlineData("PPO-GOLD-2026", "ivig-mg-standard")]
    [InlineData("HMO-SELECT-2026", "ivig-mg-restrictive")]
    public async Task The_plan_table_chooses_the_policy(string plan, string policy)
    {
        Assert.Equal(policy, await PolicyOfAsync(WithPlan(plan)));
    }

    [Fact]
    public async Task A_plan_named_like_a_policy_is_not_that_policy()
    {
        // An EHR (or an attacker) writes our restrictive policy's id as the plan: the table does not name it, so the default decides.
        Assert.Equal("ivig-mg-standard", await PolicyOfAsync(WithPlan("ivig-mg-restrictive")));
    }

    [Theory]
    [InlineData("NO-SUCH-PLAN-2026")]
    [InlineData(null)]
    public async Task An_unknown_or_absent_plan_is_decided_under_the_default_policy_not_refused(string? plan)
    {
        var bundle = WithPlan(plan);

        var response = await factory.ProviderA.PostFhirAsync("/fhir/Claim/$submit", Json(bundle));

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        Assert.DoesNotContain("ivig-mg-", body, StringComparison.Ordinal);
        Assert.Equal("ivig-mg-standard", await PolicyOfAsync(WithPlan(plan)));
    }

    [Fact]
    public async Task The_infusion_line_is_decided_with_the_drug_and_follows_its_decision()
    {
        var bundle = WithPlan("PPO-GOLD-2026");
        var claim = Assert.IsType<Claim>(bundle.Entry[0].Resource);
        claim.Item.Add(new Claim.ItemComponent
        {
            Sequence = 2,
            ProductOrService = new CodeableConcept("http://www.ama-assn.org/go/cpt", "96365"),
            Serviced = claim.Item[0].Serviced,
            Location = claim.Item[0].Location,
        });

        var answer = await factory.ProviderA.SubmitFhirOkAsync(bundle);

        var response = ClaimResponseOf(answer);
        Assert.Equal(1, factory.ScalarLong("SELECT COUNT(*) FROM pas_requests WHERE id = @id AND service = 'ivig'", ("@id", response.Id())));
        var actions = response.ReviewActions();
        Assert.Equal(2, actions.Count);
        Assert.Equal(actions[0], actions[1]);
        Assert.NotEqual("A4", actions[0]); // the exacerbation example is approved, not sent to a person
        var infusion = response.Item.Single(i => i.ItemSequence == 2);
        Assert.DoesNotContain(infusion.Extension, e => e.Url == PasExtensions.ItemAuthorizedDetail);
        Assert.Contains(response.Item.Single(i => i.ItemSequence == 1).Extension, e => e.Url == PasExtensions.ItemAuthorizedDetail);
    }

    [Fact]
    public void A_plan_routed_to_a_policy_the_release_lacks_is_logged_once_per_release_not_per_request()
    {
        var logs = new CapturingLoggerProvider();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(logs));
        var active = new ActiveRules(TimeProvider.System);
        var release = factory.Services.GetRequiredService<ActiveRules>().Current;
        active.Activate(release);
        var table = new PlanOptions { Policies = { ["PPO-GOLD-2026"] = "ivig-mg-standard", ["LEGACY-2019"] = "ivig-mg-retired" } };
        var routing = new PlanRouting(Options.Create(table), active, loggers.CreateLogger<PlanRouting>());

        routing.Check();
        for (var i = 0; i < 3; i++)
        {
            Assert.Null(routing.PolicyFor("LEGACY-2019"));
            Assert.Equal("ivig-mg-standard", routing.PolicyFor("PPO-GOLD-2026"));
        }
        var warning = Assert.Single(logs.Lines, l => l.StartsWith("Warning", StringComparison.Ordinal));
        Assert.Contains("LEGACY-2019", warning, StringComparison.Ordinal);
        Assert.Contains("ivig-mg-retired", warning, StringComparison.Ordinal);

        // Another release put in force: the table is checked against it, once.
        active.Activate(release with { });
        Assert.Null(routing.PolicyFor("LEGACY-2019"));
        Assert.Null(routing.PolicyFor("LEGACY-2019"));
        Assert.Equal(2, logs.Lines.Count(l => l.StartsWith("Warning", StringComparison.Ordinal)));
    }
}
