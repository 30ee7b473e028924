using System.Text.Json;
using MgAuth.Domain.Requests;
using static MgAuth.Domain.Tests.TestRequests;

namespace MgAuth.Domain.Tests;

public class ProblemDocumentTests
{
    [Fact]
    public void Serialises_as_rfc_9457_with_errors_by_field_path()
    {
        ProblemDocument problem = Rejected(With(With(Minimal, "member.weightKg", "1"), "clinical.qmg.current", "40"));
        var camelCase = new JsonSerializerOptions(JsonSerializerDefaults.Web);

        string json = JsonSerializer.Serialize(problem, camelCase);

        Assert.Equal(
            """{"type":"https://mgauth.dev/problems/invalid-request","title":"The request is invalid","status":400,"detail":"2 fields are invalid.","errors":{"member.weightKg":["must be between 2 and 400"],"clinical.qmg.current":["must be between 0 and 39"]}}""",
            json);
    }

    [Fact]
    public void Property_names_are_camel_case_whatever_the_serializer_options()
    {
        string json = JsonSerializer.Serialize(Rejected("[]"));

        using JsonDocument document = JsonDocument.Parse(json);
        Assert.Equal(
            ["type", "title", "status", "detail", "errors"],
            document.RootElement.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal("must be a JSON object", document.RootElement.GetProperty("errors").GetProperty("$")[0].GetString());
    }
}
