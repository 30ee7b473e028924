using MgAuth.Engine.Tests.Fixtures;
using static MgAuth.Engine.Tests.Fixtures.Run;

namespace MgAuth.Engine.Tests;

public class QueryTests
{
    [Fact]
    public void Query_returns_inserted_and_derived_facts_of_a_type_in_insertion_order()
    {
        var session = Session(new ProduceAdult());
        var ann = new Member("ann", 40);
        var kid = new Member("kid", 10);
        var bob = new Member("bob", 30);
        var claim = new Claim("ann", 1m);
        session.InsertAll([ann, claim, kid, bob]);
        session.Fire();

        Assert.Equal([ann, kid, bob], session.Query<Member>());
        Assert.Equal([new Adult(ann), new Adult(bob)], session.Query<Adult>());
        Assert.Equal<object>([ann, claim, kid, bob, new Adult(ann), new Adult(bob)], session.Query<object>());
        Assert.Empty(session.Query<Note>());
    }

    [Fact]
    public void Query_leaves_out_retracted_facts()
    {
        var session = Session(new NoteMember());
        var ann = new Member("ann", 40);
        var bob = new Member("bob", 30);
        session.InsertAll([ann, bob]);
        session.Retract(ann);

        Assert.Same(bob, Assert.Single(session.Query<Member>()));
    }
}
