using MgAuth.Engine.Tests.Fixtures;
using static MgAuth.Engine.Tests.Fixtures.Run;

namespace MgAuth.Engine.Tests;

public class AgendaTests
{
    [Fact]
    public void Higher_priority_fires_first_whatever_the_compile_order()
    {
        var session = Session(new LowPriority(), new NegativePriority(), new HighPriority(), new MidPriority());
        var ann = new Member("ann", 40);
        var bob = new Member("bob", 30);
        session.InsertAll([ann, bob]);

        Assert.Equal(8, session.Fire());

        Assert.Equal(
            ["HighPriority", "HighPriority", "MidPriority", "MidPriority", "LowPriority", "LowPriority", "NegativePriority", "NegativePriority"],
            Fired(session));
        Assert.Equal([ann, bob, ann, bob, ann, bob, ann, bob], session.Trace.Select(t => Bound(t, "m")));
        Assert.Equal(Enumerable.Range(1, 8), session.Trace.Select(t => t.Sequence));
    }

    [Fact]
    public void Equal_priorities_fire_in_the_order_their_activations_arose_not_the_compile_order()
    {
        var session = Session(new NoteClaim(), new NoteMember());
        session.InsertAll([new Member("ann", 40), new Claim("ann", 1m), new Member("bob", 30), new Claim("bob", 2m)]);

        Assert.Equal(4, session.Fire());
        Assert.Equal(["NoteMember", "NoteClaim", "NoteMember", "NoteClaim"], Fired(session));
        Assert.Equal(
            [new Note("member ann"), new Note("claim ann"), new Note("member bob"), new Note("claim bob")],
            session.Query<Note>());
    }

    [Fact]
    public void Equal_priorities_follow_insertion_order_when_it_is_reversed()
    {
        var session = Session(new NoteClaim(), new NoteMember());
        session.InsertAll([new Claim("bob", 2m), new Member("bob", 30), new Claim("ann", 1m), new Member("ann", 40)]);

        session.Fire();
        Assert.Equal(
            [new Note("claim bob"), new Note("member bob"), new Note("claim ann"), new Note("member ann")],
            session.Query<Note>());
    }

    [Fact]
    public void A_derived_activation_of_higher_priority_jumps_ahead_of_pending_ones()
    {
        var session = Session(new ProduceAdult(), new NoteClaim(), new NoteAdultUrgently());
        session.InsertAll([new Member("ann", 40), new Claim("ann", 1m)]);

        Assert.Equal(3, session.Fire());
        Assert.Equal(["ProduceAdult", "NoteAdultUrgently", "NoteClaim"], Fired(session));
    }

    [Fact]
    public void A_derived_activation_of_equal_priority_waits_behind_pending_ones()
    {
        var session = Session(new ProduceAdult(), new NoteClaim(), new AdultToEligible());
        session.InsertAll([new Member("ann", 40), new Policy("ann", "Gold"), new Claim("ann", 1m)]);

        Assert.Equal(3, session.Fire());
        Assert.Equal(["ProduceAdult", "NoteClaim", "AdultToEligible"], Fired(session));
    }
}
