using MgAuth.Api.Tests.Support;
using MgAuth.Cases.Security;

namespace MgAuth.Api.Tests;

/// <summary>POST /v1/authorizations/{id}/appeals: a denial appealed is a new pended case, linked both ways, for a clinician.</summary>
public sealed class AppealTests(MgAuthFactory factory) : IClassFixture<MgAuthFactory>
{
    private async Task<JsonObject> DeniedByClinicianAsync()
    {
        var pended = await factory.PendedDenyAsync();
        return await factory.Clinician().DetermineOkAsync(pended.Id(), ReviewCalls.Deny());
    }

    [Fact]
    public async Task An_appeal_is_a_new_pended_case_linked_both_ways_carrying_the_recommendation()
    {
        var denied = await DeniedByClinicianAsync();

        using var response = await factory.ProviderA.PostJsonAsync($"/v1/authorizations/{denied.Id()}/appeals",
            new JsonObject { ["reason"] = "The neurologist documents a rapid decline; please reconsider." });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var appeal = (await response.JsonAsync()).AsObject();
        Assert.NotEqual(denied.Id(), appeal.Id());
        Assert.Equal($"/v1/authorizations/{appeal.Id()}", response.Headers.Location?.ToString());
        Assert.Equal("pended", (string)appeal["status"]!);
        Assert.Equal("deny", (string)appeal["decision"]!);
        Assert.Equal("A4", (string)appeal["x12ReviewAction"]!);
        Assert.Equal(denied.Id(), (string)appeal["appealOf"]!);
        Assert.Equal(1, (int)appeal["revision"]!);
        Assert.Contains("DOSE_ABOVE_COURSE_CEILING", appeal.Codes());
        Assert.Null(appeal["determination"]);
        Assert.True(DateTimeOffset.Parse((string)appeal["receivedAt"]!) > DateTimeOffset.Parse((string)denied["receivedAt"]!));

        var original = await factory.ProviderA.GetOkAsync($"/v1/authorizations/{denied.Id()}");
        Assert.Equal("denied", (string)original["status"]!);
        Assert.Equal(appeal.Id(), (string)Assert.Single(original["appeals"]!.AsArray())!);

        var item = await factory.Clinician().QueueItemAsync(appeal.Id());
        Assert.NotNull(item);
        Assert.Equal(denied.Id(), (string)item["appealOf"]!);
        Assert.Equal("deny", (string)item["recommendation"]!);
        Assert.True((bool)item["needsClinician"]!);
    }

    [Fact]
    public async Task An_appeal_is_decided_by_a_clinician_other_than_the_one_who_denied()
    {
        var denied = await DeniedByClinicianAsync();
        var appeal = await factory.ProviderA.AppealOkAsync(denied.Id());

        using var byReviewer = await factory.Reviewer.DetermineAsync(appeal.Id(), ReviewCalls.Approve(), await factory.Reviewer.ETagAsync(appeal.Id()));
        var reviewerProblem = await byReviewer.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Contains("appeal", (string)reviewerProblem["detail"]!);

        using var bySameClinician = await factory.Clinician().DetermineAsync(appeal.Id(), ReviewCalls.Approve(), await factory.Clinician().ETagAsync(appeal.Id()));
        var sameProblem = await bySameClinician.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.EndsWith("/independent-reviewer-required", (string)sameProblem["type"]!);

        var another = factory.ClientFor(factory.NewPlanKey(Roles.Clinician, "1222222220"));
        var decided = await another.DetermineOkAsync(appeal.Id(), ReviewCalls.Approve("On appeal: the decline justifies the course."));
        Assert.Equal("approved", (string)decided["status"]!);
        Assert.Equal(denied.Id(), (string)decided["appealOf"]!);
        Assert.Equal("denied", (string)(await factory.ProviderA.GetOkAsync($"/v1/authorizations/{denied.Id()}"))["status"]!);
    }

    [Fact]
    public async Task A_case_is_appealed_once()
    {
        var denied = await DeniedByClinicianAsync();
        var appeal = await factory.ProviderA.AppealOkAsync(denied.Id());

        using var again = await factory.ProviderA.PostJsonAsync($"/v1/authorizations/{denied.Id()}/appeals", new JsonObject { ["reason"] = "again" });

        var problem = await again.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains(appeal.Id(), (string)problem["detail"]!);
    }

    [Fact]
    public async Task Pended_cases_and_plain_approvals_are_not_appealed()
    {
        var pended = await factory.PendedDenyAsync();
        var approved = await factory.ProviderA.SubmitCreatedAsync(Examples.ForNewMember(Examples.Exacerbation));

        using var ofPended = await factory.ProviderA.PostJsonAsync($"/v1/authorizations/{pended.Id()}/appeals", new JsonObject { ["reason"] = "x" });
        using var ofApproved = await factory.ProviderA.PostJsonAsync($"/v1/authorizations/{approved.Id()}/appeals", new JsonObject { ["reason"] = "x" });

        Assert.EndsWith("/not-final", (string)(await ofPended.AssertProblemAsync(HttpStatusCode.Conflict))["type"]!);
        Assert.EndsWith("/nothing-to-appeal", (string)(await ofApproved.AssertProblemAsync(HttpStatusCode.Conflict))["type"]!);
    }

    [Fact]
    public async Task A_modified_approval_and_an_administrative_denial_can_be_appealed()
    {
        var pended = await factory.PendedDenyAsync();
        var modified = ReviewCalls.Determination("approve_modified", "DOSE_ABOVE_COURSE_CEILING", "At the ceiling.");
        modified["modifiedRegimen"] = new JsonObject { ["gramsPerDay"] = 80, ["infusionDays"] = 2, ["startDate"] = "2026-12-01" };
        var approvedModified = await factory.Clinician().DetermineOkAsync(pended.Id(), modified);
        var notCovered = Examples.ForNewMember(Examples.Exacerbation);
        notCovered["diagnosis"]!["icd10"] = "G35";
        var administrative = await factory.ProviderA.SubmitCreatedAsync(notCovered);
        Assert.Equal("denied", (string)administrative["status"]!);

        var first = await factory.ProviderA.AppealOkAsync(approvedModified.Id());
        var second = await factory.ProviderA.AppealOkAsync(administrative.Id());

        Assert.Equal("pended", (string)first["status"]!);
        Assert.Equal("pended", (string)second["status"]!);
        Assert.Equal("deny", (string)second["decision"]!);
        Assert.Equal("A4", (string)second["x12ReviewAction"]!);
    }

    [Fact]
    public async Task Only_the_cases_own_provider_appeals_with_a_reason()
    {
        var denied = await DeniedByClinicianAsync();

        using var otherOrganization = await factory.ProviderB.PostJsonAsync($"/v1/authorizations/{denied.Id()}/appeals", new JsonObject { ["reason"] = "x" });
        using var reviewer = await factory.Reviewer.PostJsonAsync($"/v1/authorizations/{denied.Id()}/appeals", new JsonObject { ["reason"] = "x" });
        using var noReason = await factory.ProviderA.PostJsonAsync($"/v1/authorizations/{denied.Id()}/appeals", new JsonObject { ["urgency"] = "soon" });

        await otherOrganization.AssertProblemAsync(HttpStatusCode.NotFound);
        await reviewer.AssertProblemAsync(HttpStatusCode.Forbidden);
        var problem = await noReason.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(new[] { "reason", "urgency" }, problem["errors"]!.AsObject().Select(e => e.Key).Order().ToArray());
        Assert.Null((await factory.ProviderA.GetOkAsync($"/v1/authorizations/{denied.Id()}"))["appeals"]);
    }

    [Fact]
    public async Task An_expedited_appeal_is_due_in_72_hours()
    {
        var denied = await DeniedByClinicianAsync();

        using var response = await factory.ProviderA.PostJsonAsync($"/v1/authorizations/{denied.Id()}/appeals",
            new JsonObject { ["reason"] = "Worsening bulbar weakness.", ["urgency"] = "expedited" });

        var appeal = await response.JsonAsync();
        Assert.Equal("expedited", (string)appeal["urgency"]!);
        Assert.Equal(TimeSpan.FromHours(72), DateTimeOffset.Parse((string)appeal["dueBy"]!) - DateTimeOffset.Parse((string)appeal["receivedAt"]!));
    }
}
