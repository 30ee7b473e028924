using MgAuth.Api.Tests.Support;

namespace MgAuth.Api.Tests;

/// <summary>GET /v1/metrics/prior-auth: the CMS public-reporting figures for requests received in a period.</summary>
public sealed class MetricsTests(MgAuthFactory factory) : IClassFixture<MgAuthFactory>
{
    private static string Today => DateTime.UtcNow.ToString("yyyy-MM-dd");

    [Fact]
    public async Task Counts_percentages_and_decision_times_split_standard_and_expedited()
    {
        var provider = factory.ProviderA;
        // Standard: approved on arrival, denied (administrative), pended, approved after review.
        await provider.SubmitCreatedAsync(Examples.ForNewMember(Examples.Exacerbation));
        var notCovered = Examples.ForNewMember(Examples.Exacerbation);
        notCovered["diagnosis"]!["icd10"] = "G35";
        var denied = await provider.SubmitCreatedAsync(notCovered);
        Assert.Equal("denied", (string)denied["status"]!);
        await provider.SubmitCreatedAsync(Examples.ForNewMember(Examples.OverCeiling));
        var pended = await provider.SubmitCreatedAsync(Examples.ExacerbationMissingBaselines());
        await Task.Delay(50);
        var reviewed = await provider.SupplementOkAsync((string)pended["authorizationId"]!, Examples.BaselinesSupplement());
        Assert.Equal("approved", (string)reviewed["status"]!);
        // Expedited: approved on arrival, pended.
        await provider.SubmitCreatedAsync(Examples.ForNewMember(Examples.Crisis));
        var expeditedOver = Examples.ForNewMember(Examples.OverCeiling);
        expeditedOver["urgency"] = "expedited";
        await provider.SubmitCreatedAsync(expeditedOver);

        var metrics = await factory.Reviewer.GetOkAsync($"/v1/metrics/prior-auth?from={Today}&to={Today}");

        Assert.Equal(Today, (string)metrics["from"]!);
        Assert.Equal(Today, (string)metrics["to"]!);
        var all = metrics["all"]!;
        Figures(all, requests: 6, approved: 3, denied: 1, pended: 2, afterReview: 1);
        Assert.Equal(50.0, (double)all["approvedPercent"]!);
        Assert.Equal(16.7, (double)all["deniedPercent"]!);
        Assert.Equal(33.3, (double)all["pendedPercent"]!);

        var standard = metrics["standard"]!;
        Figures(standard, requests: 4, approved: 2, denied: 1, pended: 1, afterReview: 1);
        Assert.Equal(50.0, (double)standard["approvedPercent"]!);
        Assert.Equal(25.0, (double)standard["deniedPercent"]!);
        Assert.Equal(25.0, (double)standard["pendedPercent"]!);
        // Decided: two on arrival (0 h) and one after review (> 0 h, well under an hour here).
        Assert.Equal(0.0, (double)standard["medianDecisionHours"]!);
        Assert.InRange((double)standard["averageDecisionHours"]!, 0.0, 1.0);

        var expedited = metrics["expedited"]!;
        Figures(expedited, requests: 2, approved: 1, denied: 0, pended: 1, afterReview: 0);
        Assert.Equal(50.0, (double)expedited["approvedPercent"]!);
        Assert.Equal(50.0, (double)expedited["pendedPercent"]!);
        Assert.Equal(0.0, (double)expedited["medianDecisionHours"]!);
        Assert.Equal(0.0, (double)expedited["averageDecisionHours"]!);

        // A period before any request: nothing, and no times.
        var empty = await factory.Reviewer.GetOkAsync("/v1/metrics/prior-auth?from=2020-01-01&to=2020-12-31");
        Figures(empty["all"]!, requests: 0, approved: 0, denied: 0, pended: 0, afterReview: 0);
        Assert.Null(empty["all"]!["averageDecisionHours"]);
        Assert.Null(empty["all"]!["medianDecisionHours"]);
    }

    private static void Figures(JsonNode figures, int requests, int approved, int denied, int pended, int afterReview)
    {
        Assert.True((int)figures["requests"]! == requests, figures.ToJsonString());
        Assert.Equal(approved, (int)figures["approved"]!);
        Assert.Equal(denied, (int)figures["denied"]!);
        Assert.Equal(pended, (int)figures["pended"]!);
        Assert.Equal(afterReview, (int)figures["approvedAfterReview"]!);
    }

    [Fact]
    public async Task Without_a_period_the_figures_are_the_current_years_and_a_reviewers_approval_is_approved_after_review()
    {
        await using var own = new MgAuthFactory();
        var approvedOnReview = await own.PendedDenyAsync();
        await own.Clinician().DetermineOkAsync(approvedOnReview.Id(), ReviewCalls.Approve());
        var deniedOnReview = await own.PendedDenyAsync();
        await own.Clinician().DetermineOkAsync(deniedOnReview.Id(), ReviewCalls.Deny());
        await own.ProviderA.SubmitCreatedAsync(Examples.ForNewMember(Examples.Exacerbation));

        var metrics = await own.Reviewer.GetOkAsync("/v1/metrics/prior-auth");

        var year = DateTime.UtcNow.Year;
        Assert.Equal($"{year}-01-01", (string)metrics["from"]!);
        Assert.Equal($"{year}-12-31", (string)metrics["to"]!);
        Figures(metrics["all"]!, requests: 3, approved: 2, denied: 1, pended: 0, afterReview: 1);
        // Only "to" given: from is still the first of this year.
        var untilToday = await own.Reviewer.GetOkAsync($"/v1/metrics/prior-auth?to={Today}");
        Assert.Equal($"{year}-01-01", (string)untilToday["from"]!);
        Figures(untilToday["all"]!, requests: 3, approved: 2, denied: 1, pended: 0, afterReview: 1);
    }

    [Theory]
    [InlineData("?from=2026-13-01&to=2026-12-31", "from")]
    [InlineData("?from=2026-12-31&to=2026-01-01", "to")]
    public async Task A_bad_period_is_400_naming_the_field(string query, string field)
    {
        using var response = await factory.Reviewer.GetAsync($"/v1/metrics/prior-auth{query}");
        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem["errors"]!.AsObject().ContainsKey(field), problem.ToJsonString());
    }
}
