using MgAuth.Engine.Compilation;
using MgAuth.Engine.Tests.Fixtures;

namespace MgAuth.Engine.Tests;

/// <summary>
/// A session created from a template (facts inserted and matched once) must behave exactly like a
/// session that inserted those facts itself first, and must never change the template it came from.
/// </summary>
public class SessionTemplateTests
{
    private sealed record Outcome(string[] Fired, string[] Facts, string[] Explanations);

    private static readonly SessionOptions Observed = new() { Trace = true, Explain = true };

    private static Outcome Observe(Session session)
    {
        session.Fire();
        return new Outcome(
            session.Trace.Select(t => $"{t.Sequence}:{t.Rule.Name}({string.Join(", ", t.Facts.Select(f => $"{f.Name}={Describe(f.Value)}"))})").ToArray(),
            session.Query<object>().Select(f => f.ToString()!).ToArray(),
            session.Explanations!.Select(e => $"{e.Rule.Name}@{e.Element}:{e.Condition}:{e.Reason}").ToArray());
    }

    private static string Describe(object? value) =>
        value is IEnumerable<object> list ? $"[{string.Join(", ", list)}]" : $"{value}";

    private static Outcome Plain(RuleNetwork network, object[] facts)
    {
        var session = network.CreateSession(Observed);
        session.InsertAll(facts);
        return Observe(session);
    }

    private static Outcome FromTemplate(SessionTemplate template, IEnumerable<object> rest)
    {
        var session = template.CreateSession(Observed);
        session.InsertAll(rest);
        return Observe(session);
    }

    [Fact]
    public void Every_split_of_the_facts_between_template_and_session_fires_as_one_plain_session()
    {
        var network = RuleCompiler.Compile(Scenario.Rules());
        var facts = Scenario.Facts();
        var expected = Plain(network, facts);
        for (var split = 0; split <= facts.Length; split++)
        {
            var template = network.Prepare(facts.Take(split));
            Assert.Equal(split, template.FactCount);
            var actual = FromTemplate(template, facts.Skip(split));
            Assert.Equal(expected.Fired, actual.Fired);
            Assert.Equal(expected.Facts, actual.Facts);
            Assert.Equal(expected.Explanations, actual.Explanations);
        }
    }

    [Fact]
    public void A_session_that_retracts_and_adds_facts_leaves_its_template_as_it_was()
    {
        var network = RuleCompiler.Compile(Scenario.Rules());
        var facts = Scenario.Facts();
        var template = network.Prepare(facts.Take(10)); // members, policies and the first claim
        var expected = FromTemplate(template, facts.Skip(10));

        var meddling = template.CreateSession(Observed);
        meddling.Retract(facts[0]);                        // a template fact
        meddling.Insert(new Member("zoe", 33));           // into a memory the template holds
        meddling.InsertAll(facts.Skip(10));
        meddling.Fire();
        Assert.DoesNotContain(meddling.Query<Member>(), m => m.Id == "ann");

        var again = FromTemplate(template, facts.Skip(10));
        Assert.Equal(expected.Fired, again.Fired);
        Assert.Equal(expected.Facts, again.Facts);
        Assert.Contains(template.CreateSession().Query<Member>(), m => m.Id == "ann");
    }

    [Fact]
    public void A_template_fact_is_in_the_session_and_cannot_be_inserted_twice()
    {
        var network = RuleCompiler.Compile(Scenario.Rules());
        var ann = new Member("ann", 45);
        var session = network.Prepare([ann]).CreateSession();

        Assert.Same(ann, Assert.Single(session.Query<Member>()));
        Assert.Throws<InvalidOperationException>(() => session.Insert(ann));
        session.Retract(ann);
        session.Insert(ann); // out and back in is allowed, as in any session
        Assert.Same(ann, Assert.Single(session.Query<Member>()));
    }

    [Fact]
    public void Sessions_from_one_template_on_many_threads_all_match_the_single_threaded_result()
    {
        var network = RuleCompiler.Compile(Scenario.Rules());
        var facts = Scenario.Facts();
        var template = network.Prepare(facts.Take(9));
        var expected = FromTemplate(template, facts.Skip(9));

        const int sessions = 2_000;
        var results = new Outcome[sessions];
        Parallel.For(0, sessions, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(8, Environment.ProcessorCount * 2) },
            // Fresh request facts per session; the template's facts are the shared ones.
            i => results[i] = FromTemplate(template, Scenario.Facts().Skip(9)));

        foreach (var result in results)
        {
            Assert.Equal(expected.Fired, result.Fired);
            Assert.Equal(expected.Facts, result.Facts);
        }
    }
}
