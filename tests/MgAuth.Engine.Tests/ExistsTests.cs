using MgAuth.Engine.Tests.Fixtures;
using static MgAuth.Engine.Tests.Fixtures.Run;

namespace MgAuth.Engine.Tests;

public class ExistsTests
{
    [Fact]
    public void Fires_once_per_outer_tuple_not_once_per_existing_fact()
    {
        var session = Session(new FlagClaimants());
        session.InsertAll([
            new Member("ann", 40), new Member("bob", 30), new Member("cat", 20),
            new Claim("ann", 1m), new Claim("ann", 2m), new Claim("ann", 3m), new Claim("bob", 4m), new Claim("zed", 5m),
        ]);

        Assert.Equal(2, session.Fire());
        Assert.Equal([new HasClaims("ann"), new HasClaims("bob")], session.Query<HasClaims>());
        Assert.Equal(["m"], session.Trace[0].Facts.Select(f => f.Name)); // the Exists binds nothing
    }

    [Fact]
    public void Activates_when_the_fact_arrives_later_and_only_once()
    {
        var session = Session(new FlagClaimants());
        session.Insert(new Member("ann", 40));
        Assert.Equal(0, session.Fire());

        session.Insert(new Claim("ann", 1m));
        Assert.Equal(1, session.Fire());

        session.Insert(new Claim("ann", 2m));
        Assert.Equal(0, session.Fire());
        Assert.Equal([new HasClaims("ann")], session.Query<HasClaims>());
    }

    [Fact]
    public void Retracting_the_last_matching_fact_cancels_the_activation()
    {
        var session = Session(new FlagClaimants());
        var log = Record(session);
        var first = new Claim("ann", 1m);
        var second = new Claim("ann", 2m);
        session.InsertAll([new Member("ann", 40), first, second]);

        session.Retract(first);   // one claim is left: still holds
        session.Retract(second);  // none left

        Assert.Equal(["Created:FlagClaimants", "Cancelled:FlagClaimants"], log.Where(e => !e.StartsWith("Inserted") && !e.StartsWith("Retracted")));
        Assert.Equal(0, session.Fire());
    }
}
