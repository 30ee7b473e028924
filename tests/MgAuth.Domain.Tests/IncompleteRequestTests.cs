using System.Text.Json;
using MgAuth.Domain.Requests;
using static MgAuth.Domain.Tests.TestRequests;

namespace MgAuth.Domain.Tests;

/// <summary>
/// A request refused only for required facts it leaves out reads as incomplete (the member, urgency and policy as sent);
/// anything else the validator refuses — a bad value, or a field that identifies the member left out — does not.
/// </summary>
public class IncompleteRequestTests
{
    private static IncompleteRequest? Incomplete(string json)
    {
        using var document = JsonDocument.Parse(json);
        return IncompleteRequest.Of(document.RootElement, Rejected(json));
    }

    [Fact]
    public void Required_facts_left_out_read_as_incomplete_naming_each_field_with_the_member_and_urgency_sent()
    {
        var json = Without(Without(Without(With(Complete, "urgency", "\"expedited\""), "indication"), "diagnosis.mgfaClass"), "priorTherapies[0].outcome");

        var incomplete = Incomplete(json);

        Assert.NotNull(incomplete);
        Assert.Equal(["diagnosis.mgfaClass", "indication", "priorTherapies[0].outcome"], incomplete.Missing);
        Assert.Equal(Urgency.Expedited, incomplete.Urgency);
        Assert.Equal(Accepted(Complete).Member.Id, incomplete.MemberId);
    }

    [Theory]
    [InlineData("member")]
    [InlineData("member.id")]
    [InlineData("member.birthDate")]
    [InlineData("member.sex")]
    public void A_request_that_leaves_out_who_the_member_is_is_never_incomplete(string path)
    {
        Assert.Null(Incomplete(Without(Without(Complete, "indication"), path)));
    }

    [Fact]
    public void A_bad_value_beside_a_missing_fact_keeps_the_request_malformed()
    {
        Assert.Null(Incomplete(With(Without(Complete, "indication"), "member.weightKg", "-3")));
        Assert.Null(Incomplete(With(Without(Complete, "indication"), "urgency", "\"now\"")));
    }
}
