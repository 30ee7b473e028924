using MgAuth.Engine.Tests.Fixtures;
using static MgAuth.Engine.Tests.Fixtures.Run;

namespace MgAuth.Engine.Tests;

public class CollectTests
{
    [Fact]
    public void Binds_every_matching_fact_and_an_empty_list_when_there_is_none()
    {
        var session = Session(new TotalClaims());
        var a1 = new Claim("ann", 10m);
        var a2 = new Claim("ann", 15m);
        var b1 = new Claim("bob", 7m);
        session.InsertAll([new Member("ann", 40), a1, new Member("bob", 30), b1, a2, new Claim("zed", 99m), new Member("cat", 20)]);

        Assert.Equal(3, session.Fire());

        Assert.Equal(
            [new ClaimTotal("ann", 2, 25m), new ClaimTotal("bob", 1, 7m), new ClaimTotal("cat", 0, 0m)],
            session.Query<ClaimTotal>());
        var annClaims = Assert.IsAssignableFrom<IReadOnlyList<Claim>>(Bound(session.Trace[0], "claims"));
        Assert.Collection(annClaims, c => Assert.Same(a1, c), c => Assert.Same(a2, c));
        var catClaims = Assert.IsAssignableFrom<IReadOnlyList<Claim>>(Bound(session.Trace[2], "claims"));
        Assert.Empty(catClaims);
    }

    [Fact]
    public void The_rule_sees_the_final_collection_when_higher_priority_rules_add_to_it_first()
    {
        var session = Session(new TotalClaims(), new TopUpSeniorClaims());
        session.InsertAll([new Member("sam", 70), new Claim("sam", 10m)]);

        Assert.Equal(2, session.Fire());

        Assert.Equal(["TopUpSeniorClaims", "TotalClaims"], Fired(session));
        Assert.Equal([new ClaimTotal("sam", 3, 13m)], session.Query<ClaimTotal>());
    }

    [Fact]
    public void A_collected_fact_retracted_before_firing_leaves_the_collection()
    {
        var session = Session(new TotalClaims());
        var gone = new Claim("ann", 5m);
        session.InsertAll([new Member("ann", 40), new Claim("ann", 1m), gone]);
        session.Retract(gone);

        Assert.Equal(1, session.Fire());
        Assert.Equal([new ClaimTotal("ann", 1, 1m)], session.Query<ClaimTotal>());
    }

    [Fact]
    public void A_collect_without_a_match_pattern_collects_the_whole_session()
    {
        var session = Session(new CountAllClaims());
        session.InsertAll([new Claim("ann", 1m), new Member("bob", 30), new Claim("bob", 2m)]);

        Assert.Equal(1, session.Fire());
        Assert.Equal([new ClaimTotal("*", 2, 3m)], session.Query<ClaimTotal>());
    }

    [Fact]
    public void A_collect_without_a_match_pattern_fires_with_an_empty_list_in_an_empty_session()
    {
        var session = Session(new CountAllClaims());

        Assert.Equal(1, session.Fire());
        Assert.Equal([new ClaimTotal("*", 0, 0m)], session.Query<ClaimTotal>());
    }
}
