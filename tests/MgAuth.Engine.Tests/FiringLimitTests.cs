using MgAuth.Engine.Tests.Fixtures;
using static MgAuth.Engine.Tests.Fixtures.Run;

namespace MgAuth.Engine.Tests;

public class FiringLimitTests
{
    [Fact]
    public void A_rule_set_that_never_settles_stops_at_the_limit()
    {
        var session = Session(new SessionOptions { MaxFirings = 100 }, new CountForever());
        session.Insert(new Counter(0));

        var ex = Assert.Throws<RuleFiringLimitExceededException>(() => session.Fire());

        Assert.Equal(100, ex.Limit);
        Assert.Equal("CountForever", ex.Rule);
        Assert.Equal(100, session.FiringCount);
        Assert.Equal(101, session.Query<Counter>().Count());
    }

    [Fact]
    public void The_default_limit_also_stops_a_runaway_rule_set()
    {
        var session = Session(new CountForever());
        session.Insert(new Counter(0));

        var ex = Assert.Throws<RuleFiringLimitExceededException>(() => session.Fire());
        Assert.Equal(10_000, ex.Limit);
        Assert.Equal(10_000, session.FiringCount);
    }

    [Fact]
    public void Reaching_quiescence_exactly_at_the_limit_is_not_an_error()
    {
        var session = Session(new SessionOptions { MaxFirings = 3 }, new NoteMember());
        session.InsertAll([new Member("a", 1), new Member("b", 2), new Member("c", 3)]);
        Assert.Equal(3, session.Fire());

        var over = Session(new SessionOptions { MaxFirings = 2 }, new NoteMember());
        over.InsertAll([new Member("a", 1), new Member("b", 2), new Member("c", 3)]);
        Assert.Throws<RuleFiringLimitExceededException>(() => over.Fire());
        Assert.Equal(2, over.FiringCount);
    }
}
