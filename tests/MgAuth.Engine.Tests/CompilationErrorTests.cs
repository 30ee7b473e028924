using System.Linq.Expressions;
using MgAuth.Engine.Compilation;
using MgAuth.Engine.Dsl;
using MgAuth.Engine.Model;
using MgAuth.Engine.Tests.Fixtures;

namespace MgAuth.Engine.Tests;

public class CompilationErrorTests
{
    [Fact]
    public void A_condition_that_refers_to_a_later_alias_names_the_rule_and_the_condition()
    {
        var ex = Assert.Throws<RuleCompilationException>(() => RuleCompiler.Compile([new NoteMember(), new ForwardReference()]));

        Assert.Equal("ForwardReference", ex.Rule);
        Assert.Equal("x => (x.Id == p.MemberId)", ex.Condition);
        Assert.Equal("Rule 'ForwardReference', condition x => (x.Id == p.MemberId): refers to 'p' before it is matched", ex.Message);
    }

    [Fact]
    public void A_condition_that_refers_to_its_own_alias_is_rejected()
    {
        var ex = Assert.Throws<RuleCompilationException>(() => RuleCompiler.Compile([new SelfReference()]));

        Assert.Equal("SelfReference", ex.Rule);
        Assert.Equal("x => (x.Age > m.Age)", ex.Condition);
        Assert.Contains("refers to 'm' before it is matched", ex.Message);
    }

    [Fact]
    public void An_alias_that_is_not_a_local_variable_is_a_definition_error()
    {
        var ex = Assert.Throws<RuleDefinitionException>(() => RuleCompiler.Compile([new AliasIsNotALocal()]));

        Assert.Equal("AliasIsNotALocal", ex.Rule);
        Assert.StartsWith("Rule 'AliasIsNotALocal': an alias must be a local variable, as in () => fact; got () => Make()", ex.Message);
    }

    [Fact]
    public void A_captured_fact_variable_that_no_pattern_matches_is_rejected()
    {
        var ex = Assert.Throws<RuleCompilationException>(() => RuleCompiler.Compile([new UnmatchedVariable()]));

        Assert.Equal("UnmatchedVariable", ex.Rule);
        Assert.StartsWith("x => (x.Id == value(", ex.Condition);
        Assert.EndsWith(".forgotten.MemberId)", ex.Condition);
        Assert.EndsWith("refers to a captured variable that is not a matched alias", ex.Message);
    }

    [Fact]
    public void A_condition_that_is_not_a_bool_is_rejected()
    {
        Expression<Func<Member, int>> age = x => x.Age;
        Expression<Action<IContext>> action = ctx => ctx.Insert(new Note("never"));
        var definition = new RuleDefinition("NonBool", "", 0, [], new Dictionary<string, string>(),
            [new RuleElement(ElementKind.Match, typeof(Member), null, [age])], [new ActionElement(action)]);

        var ex = Assert.Throws<RuleCompilationException>(() => RuleCompiler.Compile([definition]));

        Assert.Equal("NonBool", ex.Rule);
        Assert.Equal("x => x.Age", ex.Condition);
        Assert.Equal("Rule 'NonBool', condition x => x.Age: a condition must be a bool expression", ex.Message);
    }

    [Fact]
    public void Two_rules_with_one_name_are_rejected()
    {
        var ex = Assert.Throws<RuleCompilationException>(() => RuleCompiler.Compile([new DuplicateOne(), new DuplicateTwo()]));

        Assert.Equal("Duplicate", ex.Rule);
        Assert.Null(ex.Condition);
        Assert.Equal("Rule 'Duplicate': another rule has the same name", ex.Message);
    }

    [Fact]
    public void Malformed_definitions_are_reported_by_the_dsl()
    {
        Assert.Equal("Rule 'NoActions': the rule has no Then() actions.",
            Assert.Throws<RuleDefinitionException>(() => new NoActions().GetDefinition()).Message);
        Assert.Equal("Rule 'EmptyHaving': Having() needs at least one condition.",
            Assert.Throws<RuleDefinitionException>(() => new EmptyHaving().GetDefinition()).Message);
        Assert.Equal("Rule 'AliasDeclaredTwice': the alias 'm' is declared twice.",
            Assert.Throws<RuleDefinitionException>(() => new AliasDeclaredTwice().GetDefinition()).Message);
    }
}
