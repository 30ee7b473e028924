using System.Text;
using System.Text.Json;
using MgAuth.Domain.Requests;
using static MgAuth.Domain.Tests.TestRequests;

namespace MgAuth.Domain.Tests;

public class StructureTests
{
    [Theory]
    [InlineData("memberId")]
    [InlineData("Indication")]
    [InlineData("member.weight")]
    [InlineData("clinical.heartfailure")]
    [InlineData("clinical.bulbarDysfuntion")]
    [InlineData("clinical.mgAdl.previous")]
    [InlineData("clinical.respiratory.fvc")]
    [InlineData("regimen.dosePerKg")]
    [InlineData("priorTherapies[1].dose")]
    [InlineData("priorIvigCourses[0].grams")]
    [InlineData("priorIvigResponse.mgAdlDelta")]
    public void A_field_the_contract_does_not_know_is_rejected_at_its_path(string path)
    {
        Assert.Equal("is not a field of the contract", SingleError(With(Complete, path, "true"), path));
    }

    [Fact]
    public void The_content_of_an_unknown_field_is_not_inspected()
    {
        string json = With(Minimal, "clinical.extra", """{ "anything": [1, "two", null] }""");

        Assert.Equal("is not a field of the contract", SingleError(json, "clinical.extra"));
    }

    [Fact]
    public void A_field_given_twice_is_rejected()
    {
        string json = Minimal.Replace("\"indication\": \"exacerbation\",", "\"indication\": \"exacerbation\", \"indication\": \"crisis\",");

        Assert.Equal("is given more than once", SingleError(json, "indication"));
    }

    [Fact]
    public void Every_error_is_reported_at_once()
    {
        string json = Minimal;
        json = With(json, "member.weightKg", "\"heavy\"");
        json = With(json, "diagnosis.mgfaClass", "\"IIIc\"");
        json = With(json, "regimen.infusionDays", "2.5");
        json = With(json, "clinical.bulbarDysfunktion", "true");
        json = Without(json, "member.id");

        ProblemDocument problem = Rejected(json);

        ProblemDocumentAssert.Keys(problem,
            "member.id", "member.weightKg", "diagnosis.mgfaClass", "regimen.infusionDays", "clinical.bulbarDysfunktion");
        Assert.Equal("5 fields are invalid.", problem.Detail);
    }

    [Fact]
    public void Errors_in_several_array_items_are_each_reported()
    {
        string json = With(Minimal, "priorTherapies", """
            [
              { "agent": "prednisone", "months": 6, "outcome": "inadequate_response" },
              { "agent": "azathioprine", "months": -2, "outcome": "bad" },
              { "months": 3, "outcome": "effective" }
            ]
            """);

        ProblemDocument problem = Rejected(json);

        ProblemDocumentAssert.Keys(problem, "priorTherapies[1].months", "priorTherapies[1].outcome", "priorTherapies[2].agent");
    }

    [Fact]
    public void A_rejected_request_has_the_invalid_request_problem()
    {
        ProblemDocument problem = Rejected(With(Minimal, "member.sex", "\"f\""));

        Assert.Equal("https://mgauth.dev/problems/invalid-request", problem.Type);
        Assert.Equal("The request is invalid", problem.Title);
        Assert.Equal(400, problem.Status);
        Assert.Equal("1 field is invalid.", problem.Detail);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("{")]
    [InlineData("not json")]
    [InlineData("{ \"indication\": \"crisis\", }")]
    [InlineData("// comment\n{}")]
    [InlineData("{ 'indication': 'crisis' }")]
    [InlineData("{} {}")]
    public void Malformed_json_is_one_error_for_the_whole_body(string json)
    {
        ProblemDocument problem = Rejected(json);

        Assert.Equal("The request is not valid JSON", problem.Title);
        Assert.Equal(ProblemDocument.NotJsonType, problem.Type);
        Assert.Equal(400, problem.Status);
        KeyValuePair<string, string[]> error = Assert.Single(problem.Errors);
        Assert.Equal("$", error.Key);
        Assert.NotEmpty(Assert.Single(error.Value));
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("42")]
    [InlineData("null")]
    [InlineData("\"request\"")]
    public void A_body_that_is_not_an_object_is_not_a_request(string json)
    {
        ProblemDocument problem = Rejected(json);

        Assert.Equal("The request is not valid JSON", problem.Title);
        Assert.Equal("must be a JSON object", Assert.Single(problem.Errors["$"]));
    }

    [Fact]
    public void Invalid_utf8_is_malformed_json()
    {
        byte[] utf8 = [.. Encoding.UTF8.GetBytes("{ \"indication\": \""), 0xFF, 0xFE, .. Encoding.UTF8.GetBytes("\" }")];

        ReadResult result = RequestReader.Read(utf8, AsOf);

        Assert.False(result.IsValid);
        Assert.Equal("The request is not valid JSON", result.Problem.Title);
        Assert.Equal("must be UTF-8 encoded", Assert.Single(result.Problem.Errors["$"]));
    }

    [Fact]
    public void Invalid_utf8_in_an_element_parsed_elsewhere_is_malformed_json()
    {
        byte[] utf8 = Encoding.UTF8.GetBytes(Minimal);
        utf8[Array.IndexOf(utf8, (byte)'M')] = 0xC0; // a stray byte inside the "M-1" member id
        using JsonDocument document = JsonDocument.Parse(utf8);

        ReadResult result = RequestReader.Read(document.RootElement, AsOf);

        Assert.False(result.IsValid);
        Assert.Equal("must be UTF-8 encoded", Assert.Single(result.Problem.Errors["$"]));
    }

    [Fact]
    public void An_element_that_is_not_an_object_is_not_a_request()
    {
        using JsonDocument document = JsonDocument.Parse("[1, 2]");

        ReadResult result = RequestReader.Read(document.RootElement, AsOf);

        Assert.False(result.IsValid);
        Assert.Equal("$", Assert.Single(result.Problem.Errors).Key);
    }

    [Fact]
    public void A_valid_read_has_no_problem()
    {
        ReadResult result = Read(Minimal);

        Assert.True(result.IsValid);
        Assert.Null(result.Problem);
        Assert.NotNull(result.Request);
    }

    // Every item becomes a fact of the rule session: a list longer than any clinical history is bad input, not work.
    [Theory]
    [InlineData("priorTherapies", """{ "agent": "azathioprine", "months": 12, "outcome": "inadequate_response" }""")]
    [InlineData("priorIvigCourses", """{ "startDate": "2026-01-01", "indication": "exacerbation" }""")]
    public void A_list_of_more_than_fifty_items_is_rejected_at_its_path(string path, string item)
    {
        string list(int n) => "[" + string.Join(", ", Enumerable.Repeat(item, n)) + "]";
        Assert.Equal("must hold at most 50 items", SingleError(With(Complete, path, list(51)), path));
        Assert.Null(Read(With(Complete, path, list(50))).Problem);
    }
}
