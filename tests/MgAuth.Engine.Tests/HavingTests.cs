using MgAuth.Engine.Tests.Fixtures;
using static MgAuth.Engine.Tests.Fixtures.Run;

namespace MgAuth.Engine.Tests;

public class HavingTests
{
    [Fact]
    public void Having_over_a_collection_fires_only_when_it_holds_and_reevaluates_when_the_collection_grows()
    {
        var session = Session(new FrequentClaimant());
        session.InsertAll([new Member("ann", 40), new Member("bob", 30), new Claim("ann", 1m), new Claim("ann", 2m), new Claim("bob", 3m)]);

        Assert.Equal(1, session.Fire());
        Assert.Equal([new Note("frequent ann")], session.Query<Note>());

        session.Insert(new Claim("bob", 4m));
        Assert.Equal(1, session.Fire());
        Assert.Equal([new Note("frequent ann"), new Note("frequent bob")], session.Query<Note>());
    }

    [Fact]
    public void Having_over_two_bound_facts()
    {
        var session = Session(new SeniorPlanMismatch());
        session.InsertAll([
            new Member("sam", 70), new Policy("sam", "Basic"),
            new Member("ola", 80), new Policy("ola", "Senior"),
            new Member("ann", 40), new Policy("ann", "Basic"),
        ]);

        Assert.Equal(1, session.Fire());
        Assert.Equal([new Note("mismatch sam")], session.Query<Note>());
    }
}
