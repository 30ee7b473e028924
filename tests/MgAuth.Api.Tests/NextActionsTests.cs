using MgAuth.Api.Tests.Support;
using MgAuth.Cases.Security;

namespace MgAuth.Api.Tests;

/// <summary>
/// GET /v1/authorizations/{id} carries what this caller may do next, each action with the service's answer: the reason of
/// a refused action is, word for word, what the service answers when the action is taken anyway.
/// </summary>
public sealed class NextActionsTests(MgAuthFactory factory) : IClassFixture<MgAuthFactory>
{
    private const string ClinicianOnly =
        "Only a clinician may deny or modify a request on medical necessity; a reviewer may approve or request information.";

    private static readonly string[] Determinations = ["approve", "approve_modified", "deny", "request_information"];

    [Fact]
    public async Task A_reviewer_may_claim_approve_and_ask_for_information_but_not_deny_and_hears_the_servers_reason()
    {
        var pended = await factory.PendedDenyAsync();

        var may = await NextAsync(factory.Reviewer, pended.Id());

        Allowed(may, "claim", "approve", "request_information");
        Refused(may, "release", "Nobody holds the case.");
        Refused(may, "approve_modified", ClinicianOnly);
        Refused(may, "deny", ClinicianOnly);
        Refused(may, "appeal", "The provider who asked appeals a decision.");
        using var denied = await factory.Reviewer.DetermineAsync(pended.Id(), ReviewCalls.Deny(), await factory.Reviewer.ETagAsync(pended.Id()));
        Assert.Equal(Reason(may, "deny"), (string)(await denied.AssertProblemAsync(HttpStatusCode.Forbidden))["detail"]!);
    }

    [Fact]
    public async Task A_clinician_may_take_every_determination_and_a_claim_holds_the_case_against_others()
    {
        var pended = await factory.PendedDenyAsync();
        var clinician = factory.Clinician();

        Allowed(await NextAsync(clinician, pended.Id()), ["claim", .. Determinations]);
        (await clinician.ClaimAsync(pended.Id())).Dispose();

        var mine = await NextAsync(clinician, pended.Id());
        Allowed(mine, ["claim", "release", .. Determinations]);

        var reviewer = await NextAsync(factory.Reviewer, pended.Id());
        using var claimed = await factory.Reviewer.ClaimAsync(pended.Id());
        var held = (string)(await claimed.AssertProblemAsync(HttpStatusCode.Conflict))["detail"]!;
        Assert.StartsWith("The case is claimed by ", held);
        Refused(reviewer, "claim", held);
        Refused(reviewer, "release", held);
        Refused(reviewer, "approve", held);
        Refused(reviewer, "deny", ClinicianOnly);

        var admin = await NextAsync(factory.Admin(), pended.Id());
        Allowed(admin, "release");
        Refused(admin, "claim", "Reviewers and clinicians claim and decide cases.");
        Assert.All(Determinations, action => Refused(admin, action, "Reviewers and clinicians claim and decide cases."));
    }

    [Fact]
    public async Task A_provider_may_not_appeal_a_pended_case_nor_work_it()
    {
        var pended = await factory.PendedDenyAsync();

        var may = await NextAsync(factory.ProviderA, pended.Id());

        Assert.All(["claim", .. Determinations], action => Refused(may, action, "Reviewers and clinicians claim and decide cases."));
        Refused(may, "release", "Reviewers, clinicians and admins release claims.");
        using var appeal = await factory.ProviderA.PostJsonAsync($"/v1/authorizations/{pended.Id()}/appeals", new JsonObject { ["reason"] = "now" });
        Refused(may, "appeal", (string)(await appeal.AssertProblemAsync(HttpStatusCode.Conflict))["detail"]!);
    }

    [Fact]
    public async Task An_approved_case_is_final_and_has_nothing_to_appeal()
    {
        var approved = await factory.ProviderA.SubmitCreatedAsync(Examples.ForNewMember(Examples.Exacerbation));
        Assert.Equal("approved", (string)approved["status"]!);

        var reviewer = await NextAsync(factory.Reviewer, approved.Id());
        using var again = await factory.Reviewer.DetermineAsync(approved.Id(), ReviewCalls.Approve(), await factory.Reviewer.ETagAsync(approved.Id()));
        var final = (string)(await again.AssertProblemAsync(HttpStatusCode.Conflict))["detail"]!;
        Refused(reviewer, "approve", final);
        Refused(reviewer, "request_information", final);
        Refused(reviewer, "claim", "This case is approved.");

        var provider = await NextAsync(factory.ProviderA, approved.Id());
        using var appeal = await factory.ProviderA.PostJsonAsync($"/v1/authorizations/{approved.Id()}/appeals", new JsonObject { ["reason"] = "more" });
        Refused(provider, "appeal", (string)(await appeal.AssertProblemAsync(HttpStatusCode.Conflict))["detail"]!);
    }

    [Fact]
    public async Task A_denial_is_appealed_once_and_its_appeal_goes_to_another_clinician()
    {
        var pended = await factory.PendedDenyAsync();
        await factory.Clinician().DetermineOkAsync(pended.Id(), ReviewCalls.Deny());
        Allowed(await NextAsync(factory.ProviderA, pended.Id()), "appeal");

        var appeal = await factory.ProviderA.AppealOkAsync(pended.Id());

        using var again = await factory.ProviderA.PostJsonAsync($"/v1/authorizations/{pended.Id()}/appeals", new JsonObject { ["reason"] = "again" });
        Refused(await NextAsync(factory.ProviderA, pended.Id()), "appeal", (string)(await again.AssertProblemAsync(HttpStatusCode.Conflict))["detail"]!);
        Refused(await NextAsync(factory.Reviewer, appeal.Id()), "approve", "An appeal is decided by a clinician.");
        var sameClinician = await NextAsync(factory.Clinician(), appeal.Id());
        using var bySame = await factory.Clinician().DetermineAsync(appeal.Id(), ReviewCalls.Approve(), await factory.Clinician().ETagAsync(appeal.Id()));
        var independent = (string)(await bySame.AssertProblemAsync(HttpStatusCode.Forbidden))["detail"]!;
        Assert.All(Determinations, action => Refused(sameClinician, action, independent));
        Allowed(await NextAsync(factory.ClientFor(factory.NewPlanKey(Roles.Clinician, "1333333330")), appeal.Id()), ["claim", .. Determinations]);
    }

    [Fact]
    public async Task A_clinician_key_without_an_npi_may_approve_but_not_deny()
    {
        var pended = await factory.PendedDenyAsync();
        var unsigned = factory.ClientFor(factory.NewPlanKey(Roles.Clinician));

        var may = await NextAsync(unsigned, pended.Id());

        Allowed(may, "approve", "request_information");
        using var denied = await unsigned.DetermineAsync(pended.Id(), ReviewCalls.Deny(), await unsigned.ETagAsync(pended.Id()));
        Refused(may, "deny", (string)(await denied.AssertProblemAsync(HttpStatusCode.Forbidden))["detail"]!);
    }

    private static async Task<JsonArray> NextAsync(HttpClient client, string id) =>
        (await client.GetOkAsync($"/v1/authorizations/{id}"))["nextActions"]!.AsArray();

    private static JsonObject Action(JsonArray actions, string name) =>
        actions.Select(a => a!.AsObject()).SingleOrDefault(a => (string)a["action"]! == name)
        ?? throw new Xunit.Sdk.XunitException($"no {name} in {actions.ToJsonString()}");

    private static string? Reason(JsonArray actions, string name) => (string?)Action(actions, name)["reason"];

    private static void Allowed(JsonArray actions, params string[] names) =>
        Assert.All(names, name => Assert.True((bool)Action(actions, name)["allowed"]!, $"{name}: {Action(actions, name).ToJsonString()}"));

    private static void Refused(JsonArray actions, string name, string reason)
    {
        var action = Action(actions, name);
        Assert.False((bool)action["allowed"]!, $"{name} allowed: {actions.ToJsonString()}");
        Assert.Equal(reason, (string?)action["reason"]);
    }
}
