using MgAuth.Engine.Tests.Fixtures;
using static MgAuth.Engine.Tests.Fixtures.Run;

namespace MgAuth.Engine.Tests;

public class ChainingTests
{
    [Fact]
    public void Derived_facts_chain_through_three_rules()
    {
        var session = Session(new EligibleApproval(), new AdultToEligible(), new ProduceAdult());
        var ann = new Member("ann", 40);
        var kid = new Member("kid", 12);
        var bob = new Member("bob", 30);
        var annClaim = new Claim("ann", 120m);
        session.InsertAll([ann, kid, bob, new Policy("ann", "Gold"), new Policy("kid", "Basic"), annClaim, new Claim("kid", 9m)]);

        Assert.Equal(4, session.Fire());

        Assert.Equal(["ProduceAdult", "ProduceAdult", "AdultToEligible", "EligibleApproval"], Fired(session));
        Assert.Equal([new Adult(ann), new Adult(bob)], session.Query<Adult>());
        var eligible = Assert.Single(session.Query<Eligible>());
        Assert.Same(ann, eligible.Member);
        Assert.Equal([new Approval("ann", "chained", 120m)], session.Query<Approval>());
        Assert.Same(eligible, Bound(session.Trace[3], "e"));
        Assert.Same(annClaim, Bound(session.Trace[3], "c"));
    }

    [Fact]
    public void A_chain_started_by_a_later_insert_runs_on_the_next_fire()
    {
        var session = Session(new EligibleApproval(), new AdultToEligible(), new ProduceAdult());
        session.InsertAll([new Member("ann", 40), new Claim("ann", 120m)]);
        Assert.Equal(1, session.Fire());

        session.Insert(new Policy("ann", "Gold"));

        Assert.Equal(2, session.Fire());
        Assert.Equal(["ProduceAdult", "AdultToEligible", "EligibleApproval"], Fired(session));
        Assert.Equal([new Approval("ann", "chained", 120m)], session.Query<Approval>());
    }
}
