using System.Text.Json.Nodes;
using MgAuth.Api.Tests.Support;
using MgAuth.Domain.Requests;
using MgAuth.Fhir.Tests;
using static MgAuth.Api.Tests.Support.FhirCalls;
using Task = System.Threading.Tasks.Task;

namespace MgAuth.Api.Tests;

/// <summary>$submit with a DTR QuestionnaireResponse: standard codes plus the filled questionnaire decide as /v1 decides the same request.</summary>
public sealed class FhirQuestionnaireSubmitTests(MgAuthFactory factory) : IClassFixture<MgAuthFactory>
{
    public static TheoryData<string> ExampleNames() => new(Examples.All);

    [Theory]
    [MemberData(nameof(ExampleNames))]
    public async Task Standard_codes_and_a_QuestionnaireResponse_are_decided_as_the_same_request_through_v1(string name)
    {
        var json = await factory.ProviderA.SubmitCreatedAsync(Examples.ForNewMember(name));
        var request = RequestReader.Read(Examples.ForNewMember(name).ToJsonString(), DateOnly.FromDateTime(DateTime.UtcNow)).Request!;

        var answer = await factory.ProviderA.SubmitFhirOkAsync(DtrBundles.Write(request, DateTimeOffset.UtcNow));

        var response = ClaimResponseOf(answer);
        Assert.Equal([(string)json["x12ReviewAction"]!], response.ReviewActions());
        var stored = await factory.ProviderA.GetOkAsync($"/v1/authorizations/{response.PreAuthRef}");
        foreach (var field in new[] { "decision", "status", "denialKind", "x12ReviewAction", "authorized", "missingDocumentation" })
            Assert.True(JsonNode.DeepEquals(json[field], stored[field]), $"{name}: {field} {json[field]} through /v1, {stored[field]} through $submit with DTR");
        Assert.Equal(json.Codes(), stored.Codes());
        AssertValid(answer);
    }
}
