using MgAuth.Api.Tests.Support;

namespace MgAuth.Api.Tests;

/// <summary>
/// A published rule that throws for some members (its cases never reach them): that request gets a
/// 500 problem naming the rule, nothing of it is stored, and the service goes on deciding.
/// </summary>
public sealed class RuleFailureTests
{
    // Throws (integer division by zero) for a member of 150 kg or more; no pack case weighs that much.
    private static readonly ReleaseFiles Throwing = ReleaseFiles.Repository.WithPackFile("HeavyMemberProbe.cs", """
        namespace MgAuth.Rules.IvigMg;

        [PolicyRow("§test", "a rule that fails for heavy members")]
        public sealed class HeavyMemberProbe : Rule
        {
            public override void Define()
            {
                Member m = null!;
                When().Match(() => m, m => m.WeightKg >= 150 && m.Age / (m.Age - m.Age) > 0);
                Then().Do(ctx => ctx.Insert(new DocumentedWorsening("never")));
            }
        }
        """);

    [Fact]
    public async Task A_rule_that_throws_fails_only_that_request_with_a_problem_naming_the_rule()
    {
        await using var factory = new MgAuthFactory();
        var author = factory.ClientFor(factory.Keys.PolicyAuthor);
        await author.PublishCreatedAsync(Throwing, "probe");
        await factory.ClientFor(factory.Keys.PolicyApprover).ActivateOkAsync(Throwing.Sha256);
        var before = factory.CountRows();

        var heavy = Examples.ForNewMember(Examples.Exacerbation);
        heavy["member"]!["weightKg"] = 160.0;
        using var failed = await factory.ProviderA.SubmitAsync(heavy);

        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        var problem = JsonNode.Parse(await failed.Content.ReadAsStringAsync())!;
        Assert.Contains("Rule 'HeavyMemberProbe' failed in a condition", (string)problem["detail"]!);
        Assert.Contains("DivideByZeroException", (string)problem["detail"]!);
        Assert.DoesNotContain("160", (string)problem["detail"]!);
        Assert.Equal(before, factory.CountRows());

        var next = await factory.ProviderA.SubmitCreatedAsync(Examples.ForNewMember(Examples.Exacerbation));
        Assert.Equal("approve", (string)next["decision"]!);
    }
}
