using MgAuth.Engine.Tests.Fixtures;
using static MgAuth.Engine.Tests.Fixtures.Run;

namespace MgAuth.Engine.Tests;

public class RetractTests
{
    [Fact]
    public void Retracting_a_joined_fact_cancels_every_pending_activation_that_uses_it()
    {
        var session = Session(new ApproveCoveredClaim());
        var policy = new Policy("ann", "Gold");
        var first = new Claim("ann", 1m);
        var second = new Claim("ann", 2m);
        session.InsertAll([new Member("ann", 40), policy, first, second]);
        var log = Record(session);
        var cancelled = new List<object?>();
        session.Events.ActivationCancelled += e => cancelled.Add(e.Facts.Single(f => f.Name == "c").Value);

        session.Retract(policy);

        Assert.Equal(["Retracted:Policy { MemberId = ann, Plan = Gold }", "Cancelled:ApproveCoveredClaim", "Cancelled:ApproveCoveredClaim"], log);
        Assert.Equal([first, second], cancelled); // oldest activation first
        Assert.Equal(0, session.Fire());
    }

    [Fact]
    public void Retracting_one_fact_leaves_the_other_tuples_pending()
    {
        var session = Session(new ApproveCoveredClaim());
        var small = new Claim("ann", 1m);
        var large = new Claim("ann", 2m);
        session.InsertAll([new Member("ann", 40), new Policy("ann", "Gold"), small, large]);

        session.Retract(small);

        Assert.Equal(1, session.Fire());
        Assert.Same(large, Bound(session.Trace[0], "c"));
    }

    [Fact]
    public void Retract_removes_the_very_fact_given_even_when_another_fact_is_equal_to_it()
    {
        var session = Session(new ApproveCoveredClaim());
        var kept = new Claim("ann", 1m);
        var retracted = new Claim("ann", 1m); // equal record, different fact
        session.InsertAll([kept, retracted]);

        session.Retract(retracted);
        session.InsertAll([new Member("ann", 40), new Policy("ann", "Gold")]);

        Assert.Same(kept, Assert.Single(session.Query<Claim>()));
        Assert.Equal(1, session.Fire());
        Assert.Same(kept, Bound(session.Trace[0], "c"));
    }

    [Fact]
    public void A_retracted_fact_can_be_inserted_again()
    {
        var session = Session(new NoteMember());
        var ann = new Member("ann", 40);
        session.Insert(ann);
        session.Retract(ann);
        session.Insert(ann);

        Assert.Equal(1, session.Fire());
    }

    [Fact]
    public void Retracting_a_fact_that_is_not_in_the_session_throws()
    {
        var session = Session(new NoteMember());
        session.Insert(new Member("ann", 40));

        var ex = Assert.Throws<InvalidOperationException>(() => session.Retract(new Member("ann", 40)));
        Assert.Equal("This Member is not in the session.", ex.Message);
    }

    [Fact]
    public void Inserting_the_same_fact_twice_throws_but_an_equal_fact_is_accepted()
    {
        var session = Session(new NoteMember());
        var ann = new Member("ann", 40);
        session.Insert(ann);

        var ex = Assert.Throws<InvalidOperationException>(() => session.Insert(ann));
        Assert.Equal("This Member is already in the session.", ex.Message);
        session.Insert(new Member("ann", 40));
        Assert.Equal(2, session.Fire());
    }
}
