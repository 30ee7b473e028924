using MgAuth.Engine.Compilation;
using MgAuth.Engine.Dsl;
using MgAuth.Engine.Tests.Fixtures;

namespace MgAuth.Engine.Tests;

/// <summary>
/// When a Not, Exists or Collect element's facts change, the session recomputes only the partial matches the
/// changed fact bears on. These tests run random insert/retract/fire sequences twice, once with that and once
/// recomputing every match in full, and require the very same events, firings and facts.
/// </summary>
public class DifferentialTests
{
    private static Rule[] Rules() =>
    [
        .. Scenario.Rules(), new CountAllClaims(), new ClaimsOverAgeLimit(), new ReleaseHold(), new NoteClaim(),
    ];

    [Theory]
    [InlineData(1)] [InlineData(2)] [InlineData(3)] [InlineData(4)] [InlineData(5)]
    [InlineData(6)] [InlineData(7)] [InlineData(8)] [InlineData(9)] [InlineData(10)]
    public void Targeted_reconciliation_agrees_with_full_reconciliation(int seed)
    {
        var network = RuleCompiler.Compile(Rules());
        for (var run = 0; run < 20; run++)
        {
            var targeted = Play(network, seed * 1000 + run, full: false);
            var full = Play(network, seed * 1000 + run, full: true);
            Assert.Equal(full, targeted);
        }
    }

    private static List<string> Play(RuleNetwork network, int seed, bool full)
    {
        var random = new Random(seed);
        var session = network.CreateSession(new SessionOptions { MaxFirings = 5_000 });
        session.ReconcileFully = full;
        var log = new List<string>();
        string Facts(IEnumerable<Diagnostics.MatchedFact> facts) =>
            string.Join(", ", facts.Select(f => f.Value is IEnumerable<object> list ? $"{f.Name}=[{string.Join("; ", list)}]" : $"{f.Name}={f.Value}"));
        session.Events.FactInserted += e => log.Add($"+ {e.Fact}");
        session.Events.FactRetracted += e => log.Add($"- {e.Fact}");
        session.Events.ActivationCreated += e => log.Add($"created {e.Rule.Name}({Facts(e.Facts)})");
        session.Events.ActivationCancelled += e => log.Add($"cancelled {e.Rule.Name}({Facts(e.Facts)})");
        session.Events.RuleFiring += e => log.Add($"firing {e.Rule.Name}({Facts(e.Facts)})");

        string[] ids = ["ann", "bob", "kid", "sam", "audit"];
        string Id() => ids[random.Next(ids.Length)];
        object NewFact() => random.Next(5) switch
        {
            0 => new Member(Id(), random.Next(8, 90)),
            1 => new Policy(Id(), random.Next(3) switch { 0 => "Gold", 1 => "Basic", _ => "Senior" }),
            2 or 3 => new Claim(Id(), random.Next(1, 400)),
            _ => new Hold(Id()),
        };

        var inSession = new List<object>();
        for (var step = 0; step < 60; step++)
        {
            var roll = random.Next(10);
            if (roll < 6 || inSession.Count == 0)
            {
                var fact = NewFact();
                session.Insert(fact);
                inSession.Add(fact);
            }
            else if (roll < 8)
            {
                var index = random.Next(inSession.Count);
                session.Retract(inSession[index]);
                inSession.RemoveAt(index); // by position: equal records are still distinct facts
            }
            else
            {
                session.Fire();
                inSession = session.Query<object>().ToList();
            }
        }
        session.Fire();
        log.AddRange(session.Query<object>().Select(f => $"= {f}"));
        return log;
    }
}
