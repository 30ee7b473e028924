using MgAuth.Engine.Tests.Fixtures;
using static MgAuth.Engine.Tests.Fixtures.Run;

namespace MgAuth.Engine.Tests;

public class NotTests
{
    [Fact]
    public void A_blocking_fact_prevents_firing_for_its_tuple_only()
    {
        var session = Session(new ClearMember());
        session.InsertAll([new Member("ann", 40), new Member("bob", 30), new Hold("bob"), new Hold("zed")]);

        Assert.Equal(1, session.Fire());
        Assert.Equal([new Cleared("ann")], session.Query<Cleared>());
    }

    [Fact]
    public void Inserting_a_blocking_fact_cancels_the_pending_activation()
    {
        var session = Session(new ClearMember());
        var log = Record(session);
        var ann = new Member("ann", 40);

        session.Insert(ann);
        session.Insert(new Hold("ann"));

        Assert.Equal(
            ["Inserted:Member { Id = ann, Age = 40 }", "Created:ClearMember",
             "Inserted:Hold { MemberId = ann }", "Cancelled:ClearMember"],
            log);
        Assert.Equal(0, session.Fire());
        Assert.Empty(session.Trace);
        Assert.Empty(session.Query<Cleared>());
    }

    [Fact]
    public void A_higher_priority_rule_that_inserts_the_blocker_cancels_the_activation_before_it_fires()
    {
        var session = Session(new ClearMember(), new HoldMinors());
        var kid = new Member("kid", 10);
        var ann = new Member("ann", 40);
        session.InsertAll([kid, ann]);
        var cancelled = new List<object?>();
        session.Events.ActivationCancelled += e => cancelled.Add(e.Facts.Single(f => f.Name == "m").Value);
        var log = Record(session);

        Assert.Equal(2, session.Fire());

        Assert.Equal(["HoldMinors", "ClearMember"], Fired(session));
        Assert.Same(kid, Bound(session.Trace[0], "m"));
        Assert.Same(ann, Bound(session.Trace[1], "m"));
        Assert.Equal([kid], cancelled);
        Assert.Equal(
            ["Firing:HoldMinors", "Inserted:Hold { MemberId = kid }", "Cancelled:ClearMember", "Fired:HoldMinors",
             "Firing:ClearMember", "Inserted:Cleared { MemberId = ann }", "Fired:ClearMember"],
            log);
        Assert.Equal([new Cleared("ann")], session.Query<Cleared>());
    }

    [Fact]
    public void Retracting_the_blocker_activates_the_rule_again()
    {
        var session = Session(new ClearMember());
        var log = Record(session);
        var hold = new Hold("ann");

        session.Insert(new Member("ann", 40));
        session.Insert(hold);
        session.Retract(hold);

        Assert.Equal(
            ["Inserted:Member { Id = ann, Age = 40 }", "Created:ClearMember",
             "Inserted:Hold { MemberId = ann }", "Cancelled:ClearMember",
             "Retracted:Hold { MemberId = ann }", "Created:ClearMember"],
            log);
        Assert.Equal(1, session.Fire());
        Assert.Equal([new Cleared("ann")], session.Query<Cleared>());
    }

    [Fact]
    public void A_blocker_present_from_the_start_and_retracted_later_lets_the_rule_fire()
    {
        var session = Session(new ClearMember());
        var hold = new Hold("ann");
        session.InsertAll([hold, new Member("ann", 40)]);
        Assert.Equal(0, session.Fire());

        session.Retract(hold);

        Assert.Equal(1, session.Fire());
        Assert.Equal(["ClearMember"], Fired(session));
    }

    [Fact]
    public void A_retract_from_an_action_unblocks_a_lower_priority_rule()
    {
        var session = Session(new ClearMember(), new ReleaseHold());
        session.InsertAll([new Member("ann", 40), new Hold("ann")]);

        Assert.Equal(2, session.Fire());
        Assert.Equal(["ReleaseHold", "ClearMember"], Fired(session));
        Assert.Empty(session.Query<Hold>());
    }

    [Fact]
    public void A_tuple_that_fired_does_not_fire_again_when_its_not_is_blocked_and_unblocked()
    {
        var session = Session(new ClearMember());
        session.Insert(new Member("ann", 40));
        Assert.Equal(1, session.Fire());

        var hold = new Hold("ann");
        session.Insert(hold);
        session.Retract(hold);

        Assert.Equal(0, session.Fire());
        Assert.Single(session.Query<Cleared>());
    }

    [Fact]
    public void A_rule_made_only_of_a_not_fires_in_a_session_without_the_fact()
    {
        var session = Session(new NoHoldsAnywhere());
        Assert.Equal(1, session.Fire());
        Assert.Equal([new Note("no holds")], session.Query<Note>());
    }

    [Fact]
    public void A_rule_made_only_of_a_not_is_blocked_by_the_fact()
    {
        var session = Session(new NoHoldsAnywhere());
        var hold = new Hold("ann");
        session.Insert(hold);
        Assert.Equal(0, session.Fire());

        session.Retract(hold);
        Assert.Equal(1, session.Fire());
    }

    [Fact]
    public void A_rule_made_only_of_a_not_is_activated_when_the_session_starts()
    {
        // Its activation arose before any insert, so it fires ahead of equal-priority activations from facts.
        var session = Session(new NoteMember(), new NoHoldsAnywhere());
        session.Insert(new Member("ann", 40));

        Assert.Equal(2, session.Fire());
        Assert.Equal(["NoHoldsAnywhere", "NoteMember"], Fired(session));
    }
}
