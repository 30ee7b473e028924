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
    private static Decision Decide(params ApprovedAuthorization[] history) =>
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
