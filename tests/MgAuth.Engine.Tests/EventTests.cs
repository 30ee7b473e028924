using MgAuth.Engine.Tests.Fixtures;
using static MgAuth.Engine.Tests.Fixtures.Run;

namespace MgAuth.Engine.Tests;

public class EventTests
{
    [Fact]
    public void Events_are_raised_in_the_order_things_happen()
    {
        var session = Session(new ProduceAdult(), new AdultToEligible());
        var log = Record(session);
        var policy = new Policy("ann", "Gold");

        session.Insert(new Member("ann", 40));
        session.Insert(policy);
        session.Fire();
        session.Retract(policy);

        Assert.Equal(
        [
            "Inserted:Member { Id = ann, Age = 40 }",
            "Created:ProduceAdult",
            "Inserted:Policy { MemberId = ann, Plan = Gold }",
            "Firing:ProduceAdult",
            "Inserted:Adult { Member = Member { Id = ann, Age = 40 } }",
            "Created:AdultToEligible",
            "Fired:ProduceAdult",
            "Firing:AdultToEligible",
            "Inserted:Eligible { Member = Member { Id = ann, Age = 40 } }",
            "Fired:AdultToEligible",
            "Retracted:Policy { MemberId = ann, Plan = Gold }",
        ], log);
    }

    [Fact]
    public void Activation_events_carry_the_rule_and_the_matched_facts()
    {
        var session = Session(new ApproveCoveredClaim());
        var created = new List<(string Rule, string[] Names, object?[] Values)>();
        session.Events.ActivationCreated += e => created.Add((e.Rule.Name, e.Facts.Select(f => f.Name).ToArray(), e.Facts.Select(f => f.Value).ToArray()));
        var ann = new Member("ann", 40);
        var policy = new Policy("ann", "Gold");
        var claim = new Claim("ann", 1m);

        session.InsertAll([ann, policy, claim]);

        var (rule, names, values) = Assert.Single(created);
        Assert.Equal("ApproveCoveredClaim", rule);
        Assert.Equal(["m", "p", "c"], names);
        Assert.Equal<object?>([ann, policy, claim], values);
    }

    [Fact]
    public void Trace_is_empty_when_switched_off()
    {
        var session = Session(new SessionOptions { Trace = false }, new NoteMember());
        session.Insert(new Member("ann", 40));

        Assert.Equal(1, session.Fire());
        Assert.Empty(session.Trace);
        Assert.Equal(1, session.FiringCount);
    }
}
