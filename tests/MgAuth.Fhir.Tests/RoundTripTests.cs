using System.Text.Json.Nodes;
using MgAuth.Domain.Requests;

namespace MgAuth.Fhir.Tests;

/// <summary>Every held contract example survives contract → PAS Bundle → contract unchanged.</summary>
public class RoundTripTests
{
    [Theory]
    [MemberData(nameof(Examples.Names), MemberType = typeof(Examples))]
    public void An_example_request_comes_back_from_its_Bundle_as_the_same_request(string name)
    {
        var request = Examples.Request(name);

        var submission = Fhir.Submit(request);

        Assert.True(submission.Kind == SubmissionKind.Ivig, string.Join("; ", submission.Problems));
        var again = Examples.Read(submission.Request!.ToJsonString());
        var expected = Examples.Canonical(request);
        var actual = Examples.Canonical(again);
        Assert.True(JsonNode.DeepEquals(expected, actual), $"expected {expected}\nactual   {actual}");
    }
}
