using MgAuth.Engine.Diagnostics;
using MgAuth.Engine.Model;
using MgAuth.Engine.Tests.Fixtures;
using static MgAuth.Engine.Tests.Fixtures.Run;

namespace MgAuth.Engine.Tests;

public class ExplainTests
{
    private static readonly SessionOptions WithExplain = new() { Explain = true };

    [Fact]
    public void A_false_condition_reports_its_element_text_and_the_values_it_saw()
    {
        var session = Session(WithExplain, new SeniorDiscount());
        session.Insert(new Member("ann", 45));
        session.Fire();

        var why = Assert.Single(session.Explanations!);
        Assert.Equal("SeniorDiscount", why.Rule.Name);
        Assert.Equal(0, why.Element);
        Assert.Equal(ElementKind.Match, why.Kind);
        Assert.Equal("Member", why.FactType);
        Assert.Equal("m => (m.Age >= 65)", why.Condition);
        Assert.Equal("the condition is false", why.Reason);
        Assert.Equal([new ObservedValue("m.Age", 45)], why.Values);
    }

    [Fact]
    public void The_failure_reported_is_the_deepest_element_and_condition_reached()
    {
        var session = Session(WithExplain, new GoldCover());
        session.InsertAll([new Member("ann", 45), new Policy("ann", "Basic"), new Policy("bob", "Gold")]);
        session.Fire();

        var why = Assert.Single(session.Explanations!);
        Assert.Equal(1, why.Element);
        Assert.Equal("Policy", why.FactType);
        Assert.Equal("x => (x.Plan == \"Gold\")", why.Condition);
        Assert.Equal([new ObservedValue("x.Plan", "Basic")], why.Values);
    }

    [Fact]
    public void A_not_blocked_by_a_fact_names_the_blocker_and_its_values()
    {
        var session = Session(WithExplain, new ClearMember());
        session.InsertAll([new Member("ann", 45), new Hold("ann")]);
        session.Fire();

        var why = Assert.Single(session.Explanations!);
        Assert.Equal("ClearMember", why.Rule.Name);
        Assert.Equal(1, why.Element);
        Assert.Equal(ElementKind.Not, why.Kind);
        Assert.Equal("Hold", why.FactType);
        Assert.Null(why.Condition);
        Assert.Equal("a Hold fact exists that the rule requires to be absent", why.Reason);
        Assert.Equal([new ObservedValue("h.MemberId", "ann"), new ObservedValue("m.Id", "ann")], why.Values);
    }

    [Fact]
    public void A_missing_fact_type_is_reported_at_its_element()
    {
        var session = Session(WithExplain, new NeedsPolicy());
        session.Insert(new Member("ann", 45));
        session.Fire();

        var why = Assert.Single(session.Explanations!);
        Assert.Equal(1, why.Element);
        Assert.Equal(ElementKind.Match, why.Kind);
        Assert.Equal("Policy", why.FactType);
        Assert.Null(why.Condition);
        Assert.Equal("no Policy fact is in the session", why.Reason);
        Assert.Empty(why.Values);
    }

    [Fact]
    public void Only_rules_that_did_not_fire_are_explained_in_rule_order()
    {
        var session = Session(WithExplain, new NeedsPolicy(), new NoteMember(), new SeniorDiscount());
        session.Insert(new Member("ann", 45));
        session.Fire();

        Assert.Equal(["NeedsPolicy", "SeniorDiscount"], session.Explanations!.Select(e => e.Rule.Name));
        Assert.Equal(["NeedsPolicy", "SeniorDiscount"], session.Explain().Select(e => e.Rule.Name));
    }

    [Fact]
    public void Explanations_are_null_without_the_option_but_explain_can_be_asked_for()
    {
        var session = Session(new SeniorDiscount());
        session.Insert(new Member("ann", 45));
        session.Fire();

        Assert.Null(session.Explanations);
        Assert.Equal("m => (m.Age >= 65)", Assert.Single(session.Explain()).Condition);
    }

    [Fact]
    public void A_collection_value_is_shown_as_a_count()
    {
        var session = Session(WithExplain, new FrequentClaimant());
        session.InsertAll([new Member("ann", 45), new Claim("ann", 1m)]);
        session.Fire();

        var why = Assert.Single(session.Explanations!);
        Assert.Equal(2, why.Element);
        Assert.Equal(ElementKind.Having, why.Kind);
        Assert.Equal("(claims.Count >= 2)", why.Condition);
        Assert.Equal([new ObservedValue("claims.Count", 1)], why.Values);
    }

    [Fact]
    public void A_condition_with_a_nested_lambda_shows_the_values_of_the_bound_facts()
    {
        var session = Session(WithExplain, new ClaimsOverAgeLimit());
        session.InsertAll([new Member("ann", 45), new Claim("ann", 100m), new Claim("ann", 200m)]);
        session.Fire();

        var why = Assert.Single(session.Explanations!);
        Assert.Equal(2, why.Element);
        Assert.Equal("(claims.Sum(c => c.Amount) >= (Convert(m.Age, Decimal) * 10))", why.Condition);
        Assert.Equal([new ObservedValue("m.Age", 45)], why.Values);
    }
}
