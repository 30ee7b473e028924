using MgAuth.Api.Tests.Support;
using MgAuth.Cases.Security;

namespace MgAuth.Api.Tests;

/// <summary>GET /v1/review-queue: pended cases, most urgent first, with the engine's recommendation and what pended them.</summary>
public sealed class ReviewQueueTests(MgAuthFactory factory) : IClassFixture<MgAuthFactory>
{
    [Fact]
    public async Task A_pended_case_is_listed_with_its_recommendation_reasons_missing_documentation_and_clock()
    {
        var deny = await factory.PendedDenyAsync();
        var review = await factory.PendedReviewAsync();

        var denyItem = await factory.Reviewer.QueueItemAsync(deny.Id());
        var reviewItem = await factory.Reviewer.QueueItemAsync(review.Id());

        Assert.NotNull(denyItem);
        Assert.Equal("deny", (string)denyItem["recommendation"]!);
        Assert.True((bool)denyItem["needsClinician"]!);
        var reason = Assert.Single(denyItem["reasons"]!.AsArray());
        Assert.Equal("DOSE_ABOVE_COURSE_CEILING", (string)reason!["code"]!);
        Assert.Equal("deny", (string)reason["effect"]!);
        Assert.Equal("§4 D1", (string)reason["policyRef"]!);
        Assert.Contains("exceeds the 2 g/kg ceiling", (string)reason["message"]!);
        Assert.Empty(denyItem["missingDocumentation"]!.AsArray());
        Assert.InRange((double)denyItem["hoursLeft"]!, 7 * 24 - 1, 7 * 24);
        Assert.False((bool)denyItem["overdue"]!);
        Assert.Equal((string)deny["dueBy"]!, (string)denyItem["dueBy"]!);
        Assert.Null(denyItem["claimedBy"]);

        Assert.NotNull(reviewItem);
        Assert.Equal("review", (string)reviewItem["recommendation"]!);
        Assert.False((bool)reviewItem["needsClinician"]!);
        Assert.All(reviewItem["reasons"]!.AsArray(), r => Assert.Contains((string)r!["effect"]!, new[] { "deny", "review" }));
        Assert.Contains("DOCUMENTATION_MISSING", reviewItem["reasons"]!.AsArray().Select(r => (string)r!["code"]!));
        Assert.Contains("clinical.mgAdl.baseline", reviewItem["missingDocumentation"]!.AsArray().Select(m => (string)m!));
    }

    [Fact]
    public async Task The_most_urgent_case_comes_first()
    {
        var standard = await factory.PendedDenyAsync();
        var expedited = await factory.PendedDenyAsync(r => r["urgency"] = "expedited");

        var ids = (await factory.Reviewer.QueueAsync())["items"]!.AsArray().Select(i => (string)i!["authorizationId"]!).ToList();
        var dueBys = (await factory.Reviewer.QueueAsync())["items"]!.AsArray().Select(i => DateTimeOffset.Parse((string)i!["dueBy"]!)).ToList();

        Assert.True(ids.IndexOf(expedited.Id()) < ids.IndexOf(standard.Id()), "the expedited case (due in 72 h) comes before the standard one");
        Assert.Equal(dueBys.Order(), dueBys);
    }

    [Fact]
    public async Task An_overdue_case_says_so_and_comes_first()
    {
        var pended = await factory.PendedDenyAsync();
        factory.Execute("UPDATE authorizations SET due_by = @due WHERE id = @id",
            ("@due", DateTimeOffset.UtcNow.AddHours(-3).ToString("O")), ("@id", pended.Id()));

        var queue = await factory.Reviewer.QueueAsync("overdue=true");

        var first = queue["items"]!.AsArray()[0]!;
        Assert.Equal(pended.Id(), (string)first["authorizationId"]!);
        Assert.True((bool)first["overdue"]!);
        Assert.InRange((double)first["hoursLeft"]!, -3.2, -2.8);
        Assert.All(queue["items"]!.AsArray(), i => Assert.True((bool)i!["overdue"]!));
        Assert.Null(await factory.Reviewer.QueueItemAsync(pended.Id(), "overdue=false"));
    }

    [Fact]
    public async Task Filters_narrow_the_queue_by_recommendation_indication_and_urgency()
    {
        var deny = await factory.PendedDenyAsync(r => r["urgency"] = "expedited");
        var review = await factory.PendedReviewAsync();

        var denials = await factory.Reviewer.QueueAsync("recommendation=deny");
        Assert.All(denials["items"]!.AsArray(), i => Assert.Equal("deny", (string)i!["recommendation"]!));
        Assert.Contains(deny.Id(), denials["items"]!.AsArray().Select(i => (string)i!["authorizationId"]!));
        Assert.Null(await factory.Reviewer.QueueItemAsync(review.Id(), "recommendation=deny"));

        Assert.NotNull(await factory.Reviewer.QueueItemAsync(review.Id(), "recommendation=review&indication=exacerbation&urgency=standard"));
        Assert.Null(await factory.Reviewer.QueueItemAsync(review.Id(), "indication=crisis"));
        var expedited = await factory.Reviewer.QueueAsync("urgency=expedited");
        Assert.All(expedited["items"]!.AsArray(), i => Assert.Equal("expedited", (string)i!["urgency"]!));
        Assert.Contains(deny.Id(), expedited["items"]!.AsArray().Select(i => (string)i!["authorizationId"]!));
    }

    [Fact]
    public async Task A_bad_filter_is_400_naming_each_field()
    {
        using var response = await factory.Reviewer.GetAsync("/v1/review-queue?recommendation=approve&indication=flu&urgency=now&overdue=maybe&pageSize=0");

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        var errors = problem["errors"]!.AsObject().Select(e => e.Key).Order().ToArray();
        Assert.Equal(new[] { "indication", "overdue", "pageSize", "recommendation", "urgency" }, errors);
    }

    [Fact]
    public async Task Decided_cases_and_cases_waiting_for_the_provider_are_not_in_the_queue()
    {
        var approved = await factory.ProviderA.SubmitCreatedAsync(Examples.ForNewMember(Examples.Exacerbation));
        var waiting = await factory.PendedReviewAsync();
        await factory.Reviewer.DetermineOkAsync(waiting.Id(), ReviewCalls.RequestInformation("clinical.mgAdl.baseline"));

        Assert.Null(await factory.Reviewer.QueueItemAsync(approved.Id()));
        Assert.Null(await factory.Reviewer.QueueItemAsync(waiting.Id()));
    }

    [Fact]
    public async Task A_claimed_case_shows_who_holds_it_and_until_when()
    {
        var pended = await factory.PendedDenyAsync();
        using var claim = await factory.Clinician().ClaimAsync(pended.Id());
        var claimed = await claim.JsonAsync();

        var seenByReviewer = await factory.Reviewer.QueueItemAsync(pended.Id());
        var seenByClinician = await factory.Clinician().QueueItemAsync(pended.Id());

        Assert.Equal(factory.Keys.Clinician.Record.Id, (string)seenByReviewer!["claimedBy"]!);
        Assert.Equal("clinician", (string)seenByReviewer["claimedByRole"]!);
        Assert.Equal((string)claimed["claimExpiresAt"]!, (string)seenByReviewer["claimExpiresAt"]!);
        Assert.False((bool)seenByReviewer["claimedByYou"]!);
        Assert.True((bool)seenByClinician!["claimedByYou"]!);
    }

    [Fact]
    public async Task The_queue_says_who_is_looking()
    {
        var queue = await factory.Clinician().QueueAsync();

        Assert.Equal(factory.Keys.Clinician.Record.Id, (string)queue["viewer"]!["keyId"]!);
        Assert.Equal("Clinician", (string)queue["viewer"]!["name"]!);
        Assert.Equal("clinician", (string)queue["viewer"]!["role"]!);
    }

    [Theory]
    [InlineData(Roles.Reviewer, 200)]
    [InlineData(Roles.Clinician, 200)]
    [InlineData(Roles.Admin, 200)]
    [InlineData(Roles.Provider, 403)]
    [InlineData(Roles.PolicyAuthor, 403)]
    public async Task Only_reviewers_clinicians_and_admins_see_the_queue(string role, int expected)
    {
        using var response = await factory.ClientFor(factory.Keys.Named(role)).GetAsync("/v1/review-queue");

        Assert.Equal(expected, (int)response.StatusCode);
        if (expected == 403) await response.AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Without_a_key_the_queue_is_401()
    {
        using var response = await factory.Anonymous().GetAsync("/v1/review-queue");
        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
    }
}
