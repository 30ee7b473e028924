using MgAuth.Engine.Compilation;
using MgAuth.Engine.Tests.Fixtures;
using static MgAuth.Engine.Tests.Fixtures.Run;

namespace MgAuth.Engine.Tests;

public class AlphaSharingTests
{
    [Fact]
    public void An_identical_condition_in_two_rules_is_one_alpha_test()
    {
        Assert.Equal(1, RuleCompiler.Compile([new AdultNoteA(), new AdultNoteB()]).AlphaTestCount);
        Assert.Equal(2, RuleCompiler.Compile([new AdultNoteA(), new AdultNoteB(), new SeniorNote()]).AlphaTestCount);
        Assert.Equal(2, RuleCompiler.Compile([new AdultNoteA(), new SeniorNote(), new ProduceAdult(), new AdultNoteB()]).AlphaTestCount);
    }

    [Fact]
    public void Join_conditions_are_not_alpha_tests()
    {
        Assert.Equal(0, RuleCompiler.Compile([new ClearMember(), new TotalClaims(), new NoteMember()]).AlphaTestCount);
    }

    [Fact]
    public void Rules_sharing_an_alpha_test_still_fire_independently()
    {
        var session = Session(new AdultNoteA(), new AdultNoteB(), new SeniorNote());
        session.InsertAll([new Member("kid", 10), new Member("ann", 40), new Member("sam", 70)]);

        Assert.Equal(5, session.Fire());
        Assert.Equal(
            [new Note("a ann"), new Note("b ann"), new Note("a sam"), new Note("b sam"), new Note("s sam")],
            session.Query<Note>());
    }
}
