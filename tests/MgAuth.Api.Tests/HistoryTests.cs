using MgAuth.Api.Tests.Support;

namespace MgAuth.Api.Tests;

/// <summary>The member's history in the service (§4 H1, H2): overlapping approvals and recurrent acute courses.</summary>
public sealed class HistoryTests(MgAuthFactory factory) : IClassFixture<MgAuthFactory>
{
    private static JsonObject Acute(string member, string startDate, string example = Examples.Exacerbation)
    {
        var request = Examples.ForMember(example, member);
        request["regimen"]!["startDate"] = startDate;
        return request;
    }

    [Fact]
    public async Task An_approval_whose_period_overlaps_sends_a_new_request_to_review()
    {
        var member = Examples.NewMemberId();
        var first = await factory.ProviderA.SubmitCreatedAsync(Examples.ForMember(Examples.Exacerbation, member));
        Assert.Equal("approved", (string)first["status"]!);

        var second = await factory.ProviderA.SubmitCreatedAsync(Acute(member, "2026-12-20"));

        Assert.Equal("review", (string)second["decision"]!);
        Assert.Equal("pended", (string)second["status"]!);
        Assert.Contains("OVERLAPPING_AUTHORIZATION", second.Codes());
    }

    [Fact]
    public async Task An_approval_from_another_organization_pends_the_request_for_review_without_showing_its_case()
    {
        var member = Examples.NewMemberId();
        var first = await factory.ProviderA.SubmitCreatedAsync(Examples.ForMember(Examples.Exacerbation, member));

        var second = await factory.ProviderB.SubmitCreatedAsync(Examples.ForMember(Examples.Exacerbation, member));

        Assert.Contains("AUTHORIZATION_HELD_ELSEWHERE", second.Codes());
        Assert.DoesNotContain("OVERLAPPING_AUTHORIZATION", second.Codes());
        Assert.Equal("review", (string)second["decision"]!);
        Assert.DoesNotContain((string)first["authorizationId"]!, second.ToJsonString());
    }

    [Fact]
    public async Task A_period_that_does_not_overlap_is_not_flagged()
    {
        var member = Examples.NewMemberId();
        await factory.ProviderA.SubmitCreatedAsync(Acute(member, "2026-12-01")); // through 2026-12-30

        var next = await factory.ProviderA.SubmitCreatedAsync(Acute(member, "2026-12-31"));

        Assert.DoesNotContain("OVERLAPPING_AUTHORIZATION", next.Codes());
        Assert.Equal("approved", (string)next["status"]!);
    }

    [Fact]
    public async Task A_pended_request_is_not_history()
    {
        var member = Examples.NewMemberId();
        var pended = await factory.ProviderA.SubmitCreatedAsync(Examples.ForMember(Examples.OverCeiling, member));
        Assert.Equal("pended", (string)pended["status"]!);

        var next = await factory.ProviderA.SubmitCreatedAsync(Examples.ForMember(Examples.Exacerbation, member));

        Assert.DoesNotContain("OVERLAPPING_AUTHORIZATION", next.Codes());
        Assert.Equal("approved", (string)next["status"]!);
    }

    [Fact]
    public async Task Three_approved_acute_courses_within_180_days_make_the_next_recurrent()
    {
        var member = Examples.NewMemberId();
        // Three approved, non-overlapping 30-day courses, none declared in the request's priorIvigCourses.
        foreach (var (start, example) in new[] { ("2026-12-01", Examples.Exacerbation), ("2027-01-01", Examples.Crisis), ("2027-02-01", Examples.Exacerbation) })
        {
            var approved = await factory.ProviderA.SubmitCreatedAsync(Acute(member, start, example));
            Assert.True((string)approved["status"]! == "approved", approved.ToJsonString());
            Assert.DoesNotContain("RECURRENT_ACUTE_COURSES", approved.Codes());
        }

        var fourth = Acute(member, "2027-03-10");
        Assert.Null(fourth["priorIvigCourses"]);
        var decision = await factory.ProviderA.SubmitCreatedAsync(fourth);

        Assert.Contains("RECURRENT_ACUTE_COURSES", decision.Codes());
        Assert.DoesNotContain("OVERLAPPING_AUTHORIZATION", decision.Codes());
        Assert.Equal("review", (string)decision["decision"]!);
        Assert.Equal("pended", (string)decision["status"]!);
    }

    [Fact]
    public async Task Courses_older_than_180_days_do_not_count()
    {
        var member = Examples.NewMemberId();
        foreach (var start in new[] { "2026-12-01", "2027-01-01", "2027-02-01" })
            await factory.ProviderA.SubmitCreatedAsync(Acute(member, start));

        // 2027-06-01 - 180 days = 2026-12-03: the 2026-12-01 course falls outside, two remain.
        var decision = await factory.ProviderA.SubmitCreatedAsync(Acute(member, "2027-06-01"));

        Assert.DoesNotContain("RECURRENT_ACUTE_COURSES", decision.Codes());
        Assert.Equal("approved", (string)decision["status"]!);
    }

    [Fact]
    public async Task Evaluate_sees_the_history_too()
    {
        var member = Examples.NewMemberId();
        await factory.ProviderA.SubmitCreatedAsync(Examples.ForMember(Examples.Exacerbation, member));

        using var response = await factory.ProviderA.PostJsonAsync("/v1/evaluate", Examples.ForMember(Examples.Exacerbation, member));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("OVERLAPPING_AUTHORIZATION", (await response.JsonAsync()).Codes());
    }
}
