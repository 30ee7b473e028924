using MgAuth.Engine;
using MgAuth.Engine.Compilation;
using MgAuth.Engine.Dsl;

namespace MgAuth.Engine.Tests;

public sealed record Customer(string Name, bool Preferred);
public sealed record Order(Customer Customer, decimal Amount);
public sealed record Discount(Order Order, decimal Percent);

[Priority(5)]
public sealed class PreferredDiscount : Rule
{
    protected override void Define()
    {
        Customer customer = null!;
        Order order = null!;
        When()
            .Match(() => customer, c => c.Preferred)
            .Match(() => order, o => o.Customer == customer, o => o.Amount > 100m)
            .Not<Discount>(d => d.Order == order);
        Then().Do(ctx => ctx.Insert(new Discount(order, 10m)));
    }
}

public class SmokeTests
{
    [Fact]
    public void Joins_and_chains()
    {
        var network = RuleCompiler.Compile([new PreferredDiscount()]);
        var session = network.CreateSession(new SessionOptions { Explain = true });
        var alice = new Customer("alice", true);
        session.Insert(alice);
        session.Insert(new Order(alice, 150m));
        session.Insert(new Order(alice, 50m));
        Assert.Equal(1, session.Fire());
        Assert.Single(session.Query<Discount>());
        Assert.Equal("customer", session.Trace[0].Facts[0].Name);
    }
}
