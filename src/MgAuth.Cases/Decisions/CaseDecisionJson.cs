using System.Text.Json;
using System.Text.Json.Serialization;
using MgAuth.Domain.Decisions;

namespace MgAuth.Cases.Decisions;

/// <summary>
/// A case's decision as the contract (and a revision's stored decision_json) has it: one flat object — authorizationId
/// and revision first, then the decision's properties with receivedAt and dueBy after asOf, then determination,
/// appealOf and appeals; a field without a value is left out.
/// </summary>
public sealed class CaseDecisionJson : JsonConverter<CaseDecision>
{
    public override void Write(Utf8JsonWriter writer, CaseDecision value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteString("authorizationId", value.AuthorizationId);
        writer.WriteNumber("revision", value.Revision);
        foreach (var property in JsonSerializer.SerializeToElement(value.Decision, options).EnumerateObject())
        {
            property.WriteTo(writer);
            if (!property.NameEquals("asOf")) continue;
            Optional(writer, "receivedAt", value.ReceivedAt, options);
            Optional(writer, "dueBy", value.DueBy, options);
        }
        Optional(writer, "determination", value.Determination, options);
        Optional(writer, "appealOf", value.AppealOf, options);
        Optional(writer, "appeals", value.Appeals, options);
        writer.WriteEndObject();
    }

    public override CaseDecision Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        var json = document.RootElement;
        return new CaseDecision
        {
            AuthorizationId = Field<string>(json, "authorizationId", options) ?? throw new JsonException("a case's decision names its authorization"),
            Revision = Field<int?>(json, "revision", options) ?? throw new JsonException("a case's decision names its revision"),
            ReceivedAt = Field<DateTimeOffset?>(json, "receivedAt", options),
            DueBy = Field<DateTimeOffset?>(json, "dueBy", options),
            // The decision skips the fields that are the case's.
            Decision = json.Deserialize<Decision>(options) ?? throw new JsonException("a case holds a decision"),
            Determination = Field<Determination>(json, "determination", options),
            AppealOf = Field<string>(json, "appealOf", options),
            Appeals = Field<string[]>(json, "appeals", options),
        };
    }

    internal static void Optional<T>(Utf8JsonWriter writer, string name, T? value, JsonSerializerOptions options)
    {
        if (value is null) return;
        writer.WritePropertyName(name);
        JsonSerializer.Serialize(writer, value, options);
    }

    internal static T? Field<T>(JsonElement json, string name, JsonSerializerOptions options) =>
        json.TryGetProperty(name, out var value) ? value.Deserialize<T>(options) : default;
}
