using MgAuth.Engine.Tests.Fixtures;
using static MgAuth.Engine.Tests.Fixtures.Run;

namespace MgAuth.Engine.Tests;

public class JoinTests
{
    private static readonly Member Ann = new("ann", 40), Bob = new("bob", 30), Kid = new("kid", 10);
    private static readonly Policy AnnPolicy = new("ann", "Gold"), KidPolicy = new("kid", "Basic");
    private static readonly Claim AnnSmall = new("ann", 100m), AnnLarge = new("ann", 250m);
    private static readonly Claim BobClaim = new("bob", 75m);   // bob has no policy
    private static readonly Claim KidClaim = new("kid", 5m);    // kid fails the first pattern's test

    [Fact]
    public void Three_patterns_fire_once_per_joining_tuple_only()
    {
        var session = Session(new ApproveCoveredClaim());
        session.InsertAll([Ann, Bob, Kid, AnnPolicy, KidPolicy, AnnSmall, AnnLarge, BobClaim, KidClaim]);

        Assert.Equal(2, session.Fire());
        Assert.Equal([new Approval("ann", "Gold", 100m), new Approval("ann", "Gold", 250m)], session.Query<Approval>());
        Assert.Collection(session.Trace,
            t =>
            {
                Assert.Same(Ann, Bound(t, "m"));
                Assert.Same(AnnPolicy, Bound(t, "p"));
                Assert.Same(AnnSmall, Bound(t, "c"));
            },
            t =>
            {
                Assert.Same(Ann, Bound(t, "m"));
                Assert.Same(AnnPolicy, Bound(t, "p"));
                Assert.Same(AnnLarge, Bound(t, "c"));
            });
    }

    [Fact]
    public void The_join_does_not_depend_on_insertion_order()
    {
        var session = Session(new ApproveCoveredClaim());
        session.InsertAll([KidClaim, BobClaim, AnnLarge, AnnSmall, KidPolicy, AnnPolicy, Kid, Bob, Ann]);

        Assert.Equal(2, session.Fire());
        Assert.Equal(
            [new Approval("ann", "Gold", 100m), new Approval("ann", "Gold", 250m)],
            session.Query<Approval>().OrderBy(a => a.Amount));
    }

    [Fact]
    public void A_fact_that_completes_a_tuple_later_fires_only_the_new_tuple()
    {
        var session = Session(new ApproveCoveredClaim());
        session.InsertAll([Ann, Bob, AnnPolicy, AnnSmall, BobClaim]);
        Assert.Equal(1, session.Fire());

        var bobPolicy = new Policy("bob", "Basic");
        session.Insert(bobPolicy);

        Assert.Equal(1, session.Fire());
        Assert.Equal([new Approval("ann", "Gold", 100m), new Approval("bob", "Basic", 75m)], session.Query<Approval>());
        Assert.Same(bobPolicy, Bound(session.Trace[1], "p"));
    }

    [Fact]
    public void An_anonymous_pattern_fires_once_per_matching_fact_and_is_traced_under_its_type_name()
    {
        var session = Session(new NoteAuditHold());
        var first = new Hold("audit");
        var second = new Hold("audit"); // equal value, distinct fact
        session.InsertAll([first, new Hold("ann"), second]);

        Assert.Equal(2, session.Fire());
        Assert.Equal(["NoteAuditHold", "NoteAuditHold"], Fired(session));
        Assert.Same(first, Bound(session.Trace[0], "Hold"));
        Assert.Same(second, Bound(session.Trace[1], "Hold"));
    }

    [Fact]
    public void An_anonymous_pattern_joins_on_an_earlier_alias()
    {
        var session = Session(new NotePolicyHolder());
        var gold = new Policy("ann", "Gold");
        var dental = new Policy("ann", "Dental");
        session.InsertAll([Ann, Bob, gold, dental, new Policy("zed", "Gold")]);

        Assert.Equal(2, session.Fire());
        Assert.Equal([new Note("policy holder ann"), new Note("policy holder ann")], session.Query<Note>());
        Assert.Equal(["m", "Policy"], session.Trace[0].Facts.Select(f => f.Name));
        Assert.Same(gold, Bound(session.Trace[0], "Policy"));
        Assert.Same(dental, Bound(session.Trace[1], "Policy"));
    }
}
