using MgAuth.Engine.Tests.Fixtures;
using static MgAuth.Engine.Tests.Fixtures.Run;

namespace MgAuth.Engine.Tests;

public class RefractionTests
{
    [Fact]
    public void A_rule_fires_once_per_tuple_even_after_unrelated_inserts()
    {
        var session = Session(new NoteMember());
        var ann = new Member("ann", 40);
        session.Insert(ann);
        Assert.Equal(1, session.Fire());

        session.InsertAll([new Claim("ann", 1m), new Hold("ann"), new Policy("ann", "Gold")]);
        Assert.Equal(0, session.Fire());

        var bob = new Member("bob", 30);
        session.Insert(bob);
        Assert.Equal(1, session.Fire());

        Assert.Equal([ann, bob], session.Trace.Select(t => Bound(t, "m")));
    }

    [Fact]
    public void Rules_with_not_and_collect_do_not_refire_when_their_fact_sets_change()
    {
        var session = Session(new ClearMember(), new TotalClaims());
        session.Insert(new Member("ann", 40));
        Assert.Equal(2, session.Fire());

        session.Insert(new Claim("ann", 1m));  // changes TotalClaims' collection for the fired tuple
        session.Insert(new Hold("zed"));       // changes ClearMember's Not set, not for ann
        Assert.Equal(0, session.Fire());

        Assert.Equal(["ClearMember", "TotalClaims"], Fired(session));
    }

    [Fact]
    public void Firing_again_without_changes_fires_nothing()
    {
        var session = Session(new ApproveCoveredClaim());
        session.InsertAll([new Member("ann", 40), new Policy("ann", "Gold"), new Claim("ann", 1m)]);
        Assert.Equal(1, session.Fire());
        Assert.Equal(0, session.Fire());
        Assert.Equal(1, session.FiringCount);
    }
}
