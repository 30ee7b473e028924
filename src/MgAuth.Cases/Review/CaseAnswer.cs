using System.Text.Json;
using System.Text.Json.Serialization;
using MgAuth.Cases.Decisions;
using MgAuth.Domain.Facts;

namespace MgAuth.Cases.Review;

/// <summary>
/// A case as GET /v1/authorizations/{id} answers it: its decision (<see cref="CaseDecision"/>, as stored, with what people
/// did since) followed by what the service derives for the reader and never stores — the dosing working, the clock of a
/// pended case and what this caller may do next.
/// </summary>
[JsonConverter(typeof(CaseAnswerJson))]
public sealed record CaseAnswer(CaseDecision Case, DosingWorking? DosingWorking, CaseClock? Clock, IReadOnlyList<NextAction> NextActions)
{
    /// <summary>The answer's own fields, after the decision's, as the wire has them.</summary>
    public static IReadOnlyList<string> AnswerFields { get; } = ["dosingWorking", "clock", "nextActions"];
}

/// <summary>The case's decision flat (<see cref="CaseDecisionJson"/>), then the answer's fields; a field without a value is left out.</summary>
public sealed class CaseAnswerJson : JsonConverter<CaseAnswer>
{
    public override void Write(Utf8JsonWriter writer, CaseAnswer value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        foreach (var property in JsonSerializer.SerializeToElement(value.Case, options).EnumerateObject()) property.WriteTo(writer);
        CaseDecisionJson.Optional(writer, "dosingWorking", value.DosingWorking, options);
        CaseDecisionJson.Optional(writer, "clock", value.Clock, options);
        CaseDecisionJson.Optional(writer, "nextActions", value.NextActions, options);
        writer.WriteEndObject();
    }

    public override CaseAnswer Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        var json = document.RootElement;
        return new CaseAnswer(json.Deserialize<CaseDecision>(options) ?? throw new JsonException("an answer holds a case"),
            CaseDecisionJson.Field<DosingWorking>(json, "dosingWorking", options), CaseDecisionJson.Field<CaseClock>(json, "clock", options),
            CaseDecisionJson.Field<NextAction[]>(json, "nextActions", options) ?? []);
    }
}
