using MgAuth.Api.Tests.Support;
using MgAuth.Cases.Security;

namespace MgAuth.Api.Tests;

/// <summary>POST/GET/DELETE /v1/authorizations/{id}/claim: a reviewer holds a case for a while; others see it taken and cannot work it.</summary>
public sealed class ClaimTests(ManualClockFactory factory) : IClassFixture<ManualClockFactory>
{
    [Fact]
    public async Task A_claim_lasts_the_configured_time()
    {
        var pended = await factory.PendedDenyAsync();

        using var response = await factory.Reviewer.ClaimAsync(pended.Id());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var claim = await response.JsonAsync();
        Assert.Equal(factory.Keys.Reviewer.Record.Id, (string)claim["claimedBy"]!);
        Assert.Equal("reviewer", (string)claim["claimedByRole"]!);
        var lasts = DateTimeOffset.Parse((string)claim["claimExpiresAt"]!) - DateTimeOffset.Parse((string)claim["claimedAt"]!);
        Assert.Equal(TimeSpan.FromMinutes(ManualClockFactory.ClaimMinutes), lasts);
        var current = await factory.Clinician().GetOkAsync($"/v1/authorizations/{pended.Id()}/claim");
        Assert.Equal((string)claim["claimExpiresAt"]!, (string)current["claimExpiresAt"]!);
    }

    [Fact]
    public async Task A_case_someone_else_holds_cannot_be_claimed_or_determined()
    {
        var pended = await factory.PendedDenyAsync();
        using (var first = await factory.Reviewer.ClaimAsync(pended.Id())) Assert.Equal(HttpStatusCode.OK, first.StatusCode);

        using var second = await factory.Clinician().ClaimAsync(pended.Id());
        var problem = await second.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.EndsWith("/claimed", (string)problem["type"]!);
        // The holder by name, never by key id.
        Assert.Contains("claimed by Reviewer (reviewer)", (string)problem["detail"]!);
        Assert.DoesNotContain(factory.Keys.Reviewer.Record.Id, (string)problem["detail"]!);

        using var determined = await factory.Clinician().DetermineAsync(pended.Id(), ReviewCalls.Deny(), await factory.Clinician().ETagAsync(pended.Id()));
        await determined.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("pended", (string)(await factory.Clinician().GetOkAsync($"/v1/authorizations/{pended.Id()}"))["status"]!);
    }

    [Fact]
    public async Task The_holder_renews_the_claim_and_determines_the_case_which_ends_the_claim()
    {
        var pended = await factory.PendedDenyAsync();
        using (await factory.Clinician().ClaimAsync(pended.Id())) { }
        factory.Clock.Advance(TimeSpan.FromMinutes(2));
        using var renewed = await factory.Clinician().ClaimAsync(pended.Id());
        Assert.Equal(HttpStatusCode.OK, renewed.StatusCode);
        Assert.Equal(factory.Clock.GetUtcNow().AddMinutes(ManualClockFactory.ClaimMinutes), DateTimeOffset.Parse((string)(await renewed.JsonAsync())["claimExpiresAt"]!));

        await factory.Clinician().DetermineOkAsync(pended.Id(), ReviewCalls.Deny());

        using var after = await factory.Clinician().GetAsync($"/v1/authorizations/{pended.Id()}/claim");
        Assert.Equal(HttpStatusCode.NoContent, after.StatusCode);
    }

    [Fact]
    public async Task An_expired_claim_frees_the_case()
    {
        var pended = await factory.PendedDenyAsync();
        using (await factory.Reviewer.ClaimAsync(pended.Id())) { }

        factory.Clock.Advance(TimeSpan.FromMinutes(ManualClockFactory.ClaimMinutes + 1));

        var item = await factory.Clinician().QueueItemAsync(pended.Id());
        Assert.Null(item!["claimedBy"]);
        using var taken = await factory.Clinician().ClaimAsync(pended.Id());
        Assert.Equal(HttpStatusCode.OK, taken.StatusCode);
        Assert.Equal(factory.Keys.Clinician.Record.Id, (string)(await taken.JsonAsync())["claimedBy"]!);
    }

    [Fact]
    public async Task Only_the_holder_or_an_admin_releases_a_claim()
    {
        var pended = await factory.PendedDenyAsync();
        using (await factory.Reviewer.ClaimAsync(pended.Id())) { }

        using var byOther = await factory.Clinician().DeleteAsync($"/v1/authorizations/{pended.Id()}/claim");
        await byOther.AssertProblemAsync(HttpStatusCode.Conflict);
        using var byAdmin = await factory.Admin().DeleteAsync($"/v1/authorizations/{pended.Id()}/claim");
        Assert.Equal(HttpStatusCode.NoContent, byAdmin.StatusCode);

        using var free = await factory.Clinician().ClaimAsync(pended.Id());
        Assert.Equal(HttpStatusCode.OK, free.StatusCode);
        using var byHolder = await factory.Clinician().DeleteAsync($"/v1/authorizations/{pended.Id()}/claim");
        Assert.Equal(HttpStatusCode.NoContent, byHolder.StatusCode);
        var kinds = (await factory.Clinician().EventsAsync(pended.Id())).Select(e => (string)e!["kind"]!).Where(k => k != "viewed").ToArray();
        Assert.Equal(new[] { "submitted", "decided", "claimed", "claim_released", "claimed", "claim_released" }, kinds);
    }

    [Fact]
    public async Task A_decided_case_cannot_be_claimed()
    {
        var approved = await factory.ProviderA.SubmitCreatedAsync(Examples.ForNewMember(Examples.Exacerbation));

        using var response = await factory.Reviewer.ClaimAsync(approved.Id());

        var problem = await response.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.EndsWith("/not-pended", (string)problem["type"]!);
    }

    [Theory]
    [InlineData(Roles.Provider)]
    [InlineData(Roles.PolicyAuthor)]
    [InlineData(Roles.Admin)]
    public async Task Only_reviewers_and_clinicians_claim(string role)
    {
        var pended = await factory.PendedDenyAsync();

        using var response = await factory.ClientFor(factory.Keys.Named(role)).ClaimAsync(pended.Id());

        await response.AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Claiming_an_unknown_case_is_404()
    {
        using var response = await factory.Reviewer.ClaimAsync("PA-NOPE");
        await response.AssertProblemAsync(HttpStatusCode.NotFound);
    }
}
