using MgAuth.Engine.Compilation;
using MgAuth.Engine.Tests.Fixtures;

namespace MgAuth.Engine.Tests;

public class ConcurrencyTests
{
    /// <summary>Everything observable about one session, as plain comparable text.</summary>
    private sealed record Outcome(string[] Fired, string[] Facts, string[] Explanations);

    private static Outcome RunOnce(RuleNetwork network)
    {
        var session = network.CreateSession(new SessionOptions { Trace = true, Explain = true });
        session.InsertAll(Scenario.Facts());
        session.Fire();
        return new Outcome(
            session.Trace.Select(t => $"{t.Sequence}:{t.Rule.Name}({string.Join(", ", t.Facts.Select(f => $"{f.Name}={Describe(f.Value)}"))})").ToArray(),
            session.Query<object>().Select(f => f.ToString()!).ToArray(),
            session.Explanations!.Select(e =>
                $"{e.Rule.Name}@{e.Element}:{e.Condition}:{e.Reason}:{string.Join(",", e.Values.Select(v => $"{v.Expression}={v.Value}"))}").ToArray());
    }

    private static string Describe(object? value) =>
        value is IEnumerable<object> list ? $"[{string.Join(", ", list)}]" : $"{value}";

    [Fact]
    public void Sessions_from_one_network_on_many_threads_all_match_the_single_threaded_result()
    {
        var network = RuleCompiler.Compile(Scenario.Rules());
        var expected = RunOnce(network);
        Assert.True(expected.Fired.Length >= 15, $"the scenario should exercise many rules, fired {expected.Fired.Length}");
        Assert.NotEmpty(expected.Explanations);

        const int sessions = 2_000;
        var results = new Outcome[sessions];
        // A fresh network, so that lazily built per-type plans and explain probes are first built under contention.
        var shared = RuleCompiler.Compile(Scenario.Rules());
        Parallel.For(0, sessions, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(8, Environment.ProcessorCount * 2) },
            i => results[i] = RunOnce(shared));

        for (var i = 0; i < sessions; i++)
        {
            Assert.Equal(expected.Fired, results[i].Fired);
            Assert.Equal(expected.Facts, results[i].Facts);
            Assert.Equal(expected.Explanations, results[i].Explanations);
        }
    }

    [Fact]
    public void The_scenario_fires_in_the_expected_order()
    {
        // Pins the single-threaded baseline the concurrency test compares against.
        var outcome = RunOnce(RuleCompiler.Compile(Scenario.Rules()));
        Assert.Equal(ExpectedFired, outcome.Fired.Select(f => f[(f.IndexOf(':') + 1)..f.IndexOf('(')]));
        Assert.Equal(
            ["NoHoldsAnywhere@0::a Hold fact exists that the rule requires to be absent:",
             "CountForever@0::no Counter fact is in the session:"],
            outcome.Explanations);
    }

    private static readonly string[] ExpectedFired =
    [
        "HoldMinors", "TopUpSeniorClaims", "TopUpSeniorClaims", "ProduceAdult",
        "NoteAdultUrgently", "ClearMember", "TotalClaims", "TotalClaims",
        "ProduceAdult", "NoteAdultUrgently", "ClearMember", "TotalClaims",
        "SeniorDiscount", "ProduceAdult", "NoteAdultUrgently", "TotalClaims",
        "ProduceAdult", "NoteAdultUrgently", "ClearMember", "TotalClaims",
        "SeniorDiscount", "NeedsPolicy", "GoldCover", "NeedsPolicy",
        "SeniorPlanMismatch", "NeedsPolicy", "NeedsPolicy", "ApproveCoveredClaim",
        "FlagClaimants", "ApproveCoveredClaim", "FrequentClaimant", "FlagClaimants",
        "FlagClaimants", "ApproveCoveredClaim", "FlagClaimants", "NoteAuditHold",
        "ApproveCoveredClaim", "FrequentClaimant", "ApproveCoveredClaim", "ApproveCoveredClaim",
        "FlagClaimants", "ApproveCoveredClaim", "FrequentClaimant", "AdultToEligible",
        "AdultToEligible", "AdultToEligible", "EligibleApproval", "EligibleApproval",
        "EligibleApproval", "EligibleApproval", "EligibleApproval", "EligibleApproval",
        "EligibleApproval",
    ];
}
