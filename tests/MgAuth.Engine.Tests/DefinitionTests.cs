using MgAuth.Engine.Compilation;
using MgAuth.Engine.Tests.Fixtures;

namespace MgAuth.Engine.Tests;

public class DefinitionTests
{
    [Fact]
    public void Attributes_become_the_definition_name_description_priority_tags_and_metadata()
    {
        var definition = new AttributedRule().GetDefinition();

        Assert.Equal("Attributed rule", definition.Name);
        Assert.Equal("Shows what attributes put on a definition", definition.Description);
        Assert.Equal(7, definition.Priority);
        Assert.Equal(["audit", "claims"], definition.Tags.Order());
        Assert.Equal("handbook 4.2", definition.Metadata["source"]);
        Assert.Equal("claims-team", definition.Metadata["owner"]);
        Assert.Equal("2025-Q1", definition.Metadata["review"]);
        Assert.Equal(["m"], definition.Declarations.Select(d => d.Name));
    }

    [Fact]
    public void A_rule_without_a_name_attribute_is_named_after_its_class()
    {
        Assert.Equal("ApproveCoveredClaim", new ApproveCoveredClaim().GetDefinition().Name);
        Assert.Equal(["m", "p", "c"], new ApproveCoveredClaim().GetDefinition().Declarations.Select(d => d.Name));
    }

    [Fact]
    public void The_network_lists_its_definitions_in_compile_order()
    {
        var network = RuleCompiler.Compile([new NoteMember(), new AttributedRule(), new ClearMember()]);
        Assert.Equal(["NoteMember", "Attributed rule", "ClearMember"], network.Definitions.Select(d => d.Name));
    }

    [Fact]
    public void A_rule_parameterised_through_its_constructor_compiles_and_uses_its_parameters()
    {
        var session = RuleCompiler.Compile([new PlanAgeLimit("Junior", 25)]).CreateSession();
        session.InsertAll([
            new Member("ann", 40), new Policy("ann", "Junior"),
            new Member("bob", 20), new Policy("bob", "Junior"),
            new Member("cat", 50), new Policy("cat", "Gold"),
        ]);

        Assert.Equal(1, session.Fire());
        Assert.Equal([new Note("Junior over age ann")], session.Query<Note>());
    }
}
