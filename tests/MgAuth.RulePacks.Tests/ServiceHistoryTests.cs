using MgAuth.Domain.Decisions;
using MgAuth.Domain.Facts;
using MgAuth.Domain.Requests;
using MgAuth.RulePacks;

namespace MgAuth.RulePacks.Tests;

/// <summary>
/// §4 H1/H2 with the member's approved authorizations, which only the service supplies (pack cases
/// cannot carry them), and the trace line for agents the policy does not count.
/// </summary>
public class ServiceHistoryTests
{
    // Exacerbation example: starts 2026-12-01, so its requested period runs to 2026-12-30.
    private static Decision Decide(params PlanApproval[] history) =>
        Decider.Decide(Repository.Pack, TestPacks.Request(TestPacks.Exacerbation), Repository.Policies.Find(null)!, TestPacks.AsOf,
            new DecideOptions { History = history });

    [Fact]
    public void An_approved_authorization_overlapping_the_requested_period_sends_the_request_to_review()
    {
        var decision = Decide(new ApprovedAuthorization("PA-1", Indication.Exacerbation, new DateOnly(2026, 12, 30), new DateOnly(2027, 1, 28)));

        Assert.Equal(Outcome.Review, decision.Outcome);
        var reason = Assert.Single(decision.Reasons, r => r.Code == "OVERLAPPING_AUTHORIZATION");
        Assert.Equal("§4 H2", reason.PolicyRef);
        Assert.Contains("PA-1", reason.Message);
        Assert.Contains("2026-12-30", reason.Message);
    }

    // Issue 18, item 9: another organization's approval pends the request, whatever its dates, and shows none of its own.
    [Theory]
    [InlineData("2026-11-01", "2026-11-30")]
    [InlineData("2026-12-30", "2027-01-28")]
    [InlineData("2027-03-01", "2027-03-30")]
    [InlineData("2026-06-01", "2026-06-30")]
    public void Another_organizations_approval_near_today_pends_the_request_naming_no_holder_or_date(string from, string through)
    {
        var decision = Decide(new ApprovalHeldElsewhere(Indication.Exacerbation, DateOnly.Parse(from), DateOnly.Parse(through)));

        Assert.Equal(Outcome.Review, decision.Outcome);
        Assert.DoesNotContain(decision.Reasons, r => r.Code == "OVERLAPPING_AUTHORIZATION" || r.Code == "RECURRENT_ACUTE_COURSES");
        var reason = Assert.Single(decision.Reasons, r => r.Code == "AUTHORIZATION_HELD_ELSEWHERE");
        Assert.Equal(MgAuth.Domain.Policies.ReasonEffect.Review, reason.Effect);
        Assert.DoesNotContain(from, reason.Message);
        Assert.DoesNotContain(through, reason.Message);
        Assert.DoesNotContain(LegacyHeldElsewhere.Marker, reason.Message);
    }

    [Theory]
    [InlineData("2026-11-22", "2026-11-22", 180, true)]
    [InlineData("2026-05-27", "2026-05-27", 180, true)]   // 179 days before: within one window
    [InlineData("2027-05-21", "2027-06-19", 180, true)]   // 180 days after: within one window
    [InlineData("2025-10-01", "2025-10-30", 180, false)]  // more than two windows before
    [InlineData("2027-12-01", "2027-12-30", 180, false)]  // more than two windows after
    public void Near_today_is_decided_on_the_service_date_and_the_window_in_blocks(string from, string through, int window, bool near)
    {
        var approval = new ApprovalHeldElsewhere(Indication.Exacerbation, DateOnly.Parse(from), DateOnly.Parse(through));

        Assert.Equal(near, FactBuilder.NearToday(approval, TestPacks.AsOf, window));
        // The same on every day of today's block: nothing of the request enters it.
        var block = TestPacks.AsOf.DayNumber / window * window;
        Assert.All(Enumerable.Range(0, window), d => Assert.Equal(FactBuilder.NearToday(approval, DateOnly.FromDayNumber(block + d), window),
            FactBuilder.NearToday(approval, TestPacks.AsOf, window)));
    }

    [Fact]
    public void A_policy_version_stored_before_AUTHORIZATION_HELD_ELSEWHERE_still_loads()
    {
        var yaml = TestPacks.StandardYaml;
        var start = yaml.IndexOf("  AUTHORIZATION_HELD_ELSEWHERE:", StringComparison.Ordinal);
        var end = yaml.IndexOf("\n\n", start, StringComparison.Ordinal);
        var older = MgAuth.Domain.Policies.PolicyLoader.Parse(yaml.Remove(start, end + 2 - start), "ivig-mg-standard.yaml");

        Assert.False(older.Reasons.ContainsKey(ReasonCodes.AuthorizationHeldElsewhere));
        Assert.Equal(Outcome.Approve, Decider.Decide(Repository.Pack, TestPacks.Request(TestPacks.Exacerbation), older, TestPacks.AsOf).Outcome);
    }

    [Fact]
    public void An_approved_authorization_that_ended_the_day_before_does_not_overlap()
    {
        var decision = Decide(new ApprovedAuthorization("PA-1", Indication.Exacerbation, new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 30)));

        Assert.DoesNotContain(decision.Reasons, r => r.Code == "OVERLAPPING_AUTHORIZATION");
        Assert.Equal(Outcome.Approve, decision.Outcome);
    }

    [Fact]
    public void Three_approved_acute_courses_in_the_window_count_as_recurrent()
    {
        var decision = Decide(
            new ApprovedAuthorization("PA-1", Indication.Exacerbation, new DateOnly(2026, 6, 4), new DateOnly(2026, 7, 3)),
            new ApprovedAuthorization("PA-2", Indication.Crisis, new DateOnly(2026, 8, 1), new DateOnly(2026, 8, 30)),
            new ApprovedAuthorization("PA-3", Indication.Exacerbation, new DateOnly(2026, 10, 1), new DateOnly(2026, 10, 30)));

        Assert.Equal(Outcome.Review, decision.Outcome);
        Assert.Contains(decision.Reasons, r => r.Code == "RECURRENT_ACUTE_COURSES");
        Assert.DoesNotContain(decision.Reasons, r => r.Code == "OVERLAPPING_AUTHORIZATION");
    }

    [Fact]
    public void An_agent_on_neither_list_is_shown_in_the_trace_as_not_counted()
    {
        // The exacerbation example lists pyridostigmine (not an immunosuppressant) and prednisone.
        var decision = Decide();

        var entry = Assert.Single(decision.Trace, t => t.Rule == "TherapyNotCounted");
        Assert.Contains("pyridostigmine", string.Join(" ", entry.Facts.Values.Select(v => v?.ToString())), StringComparison.Ordinal);
    }
}
