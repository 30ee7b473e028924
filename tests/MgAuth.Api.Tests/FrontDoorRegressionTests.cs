using System.Text;
using MgAuth.Api.Tests.Fuzz;
using MgAuth.Api.Tests.Support;

namespace MgAuth.Api.Tests;

/// <summary>What the front-door fuzzer found (each was a 500), kept as plain requests: now a 400 problem, nothing stored.</summary>
public sealed class FrontDoorRegressionTests(MgAuthFactory factory) : IClassFixture<MgAuthFactory>
{
    public static TheoryData<string, string, string> Found => new()
    {
        // "exacerbation" with [new(MutationKind.Unicode, 340, 86003)]: the reader threw comparing the name with the contract's.
        { "diagnosis with a lone escaped surrogate for a name", """ "icd10": """, """ "\udbff\udbff": """ },
        // The same half pair as a value threw when the value was read.
        { "member id with a lone escaped surrogate", """ "id": "M-2001" """, """ "id": "M-2001\ud800" """ },
        // "pre-thymectomy" with [new(MutationKind.EdgeValue, 5091, 23308)]: the course ran past 9999-12-31.
        { "regimen starting on the calendar's last day", """ "startDate": "2026-12-01" """, """ "startDate": "9999-12-31" """ },
    };

    [Theory]
    [MemberData(nameof(Found))]
    public async Task A_request_that_once_failed_the_service_is_refused_with_a_problem_and_stores_nothing(string what, string find, string replace)
    {
        // examples/exacerbation.json as written, for a member of this test's own.
        var example = await File.ReadAllTextAsync(Path.Combine(Repository.ExamplesFolder, Examples.Exacerbation + ".json"));
        var changed = example.Replace(find.Trim(), replace.Trim(), StringComparison.Ordinal);
        Assert.False(changed == example, $"{what}: the example did not change");
        var body = Encoding.UTF8.GetBytes(changed.Replace("\"M-2001\"", $"\"{Examples.NewMemberId()}\"", StringComparison.Ordinal));
        var before = factory.CountRows();

        foreach (var path in new[] { "/v1/authorizations", "/v1/evaluate" })
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new("application/json");
            using var response = await factory.ProviderA.PostAsync(path, content);
            var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
            Assert.NotEmpty(problem["errors"]!.AsObject());
        }
        Assert.Equal(before, factory.CountRows());
    }

    [Fact]
    public async Task The_fuzzers_inputs_that_once_failed_the_service_are_now_refused()
    {
        FuzzInput[] found =
        [
            new(Examples.Exacerbation, [new(MutationKind.Unicode, 340, 86003)]),
            new(Examples.PreThymectomy, [new(MutationKind.EdgeValue, 5091, 23308)]),
        ];
        foreach (var input in found)
        {
            using var content = new ByteArrayContent(RequestMutator.Render(input, Examples.NewMemberId()));
            content.Headers.ContentType = new("application/json");
            using var response = await factory.ProviderA.PostAsync("/v1/authorizations", content);
            await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        }
    }

    // A supplement with [new(MutationKind.DuplicateKey, 79, 41897)]: the merge threw on the repeated name; a name with a
    // lone escaped surrogate threw when it was compared.
    [Theory]
    [InlineData("""{"clinical": {"mgAdl": {"baseline": 6}, "mgAdl": {"baseline": 6}}}""")]
    [InlineData("""{"clinical": {"\ud800": 1}}""")]
    [InlineData("""{"clinical": {"mgAdl": {"baseline": 6}}, "\u0063linical": {}}""")]
    public async Task A_supplement_that_once_failed_the_service_is_refused_and_the_case_is_unchanged(string patch)
    {
        var id = (string)(await factory.ProviderA.SubmitCreatedAsync(Examples.ExacerbationMissingBaselines()))["authorizationId"]!;
        var before = factory.CountRows();

        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(patch));
        content.Headers.ContentType = new("application/json");
        using var response = await factory.ProviderA.PostAsync($"/v1/authorizations/{id}/supplements", content);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(before, factory.CountRows());
        Assert.Equal("pended", (string)(await factory.ProviderA.GetOkAsync($"/v1/authorizations/{id}"))["status"]!);
    }

    [Fact]
    public async Task A_course_starting_on_the_last_accepted_day_is_decided()
    {
        // The longest course the contract allows: 52 cycles 180 days apart, from 2199-12-31.
        var request = Examples.ForNewMember(Examples.RefractoryMaintenance);
        request["regimen"]!["startDate"] = "2199-12-31";
        request["regimen"]!["cycles"] = 52;
        request["regimen"]!["intervalDays"] = 180;

        var decision = await factory.ProviderA.SubmitCreatedAsync(request);

        Assert.Contains((string)decision["decision"]!, new[] { "approve", "deny", "review" });
    }
}
