using MgAuth.Engine.Tests.Fixtures;
using static MgAuth.Engine.Tests.Fixtures.Run;

namespace MgAuth.Engine.Tests;

public class ActionExceptionTests
{
    [Fact]
    public void An_exception_in_an_action_is_wrapped_with_the_rule_name()
    {
        var session = Session(new ThrowingRule());
        session.Insert(new Member("ann", 40));

        var ex = Assert.Throws<RuleActionException>(() => session.Fire());

        Assert.Equal("ThrowingRule", ex.Rule);
        Assert.Equal("Rule 'ThrowingRule' failed in its action: boom ann", ex.Message);
        var inner = Assert.IsType<InvalidOperationException>(ex.InnerException);
        Assert.Equal("boom ann", inner.Message);
    }
}
