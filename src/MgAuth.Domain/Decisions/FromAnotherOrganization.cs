using System.Text.Json;
using System.Text.Json.Serialization;

namespace MgAuth.Domain.Decisions;

/// <summary>
/// A part of a decision that came from another organization's record: the record itself (<paramref name="IsRecord"/>)
/// or a text naming it. Only decisions stored before issue 18 hold one (the record was a fact then; now it never is), so
/// it is made only by reading such a decision (<see cref="LegacyHeldElsewhere"/>). The plan's staff read it as stored;
/// a provider's view withholds it by this type.
/// </summary>
[JsonConverter(typeof(Json))]
public sealed record FromAnotherOrganization(JsonElement Stored, bool IsRecord)
{
    private sealed class Json : JsonConverter<FromAnotherOrganization>
    {
        public override FromAnotherOrganization Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            throw new NotSupportedException("read as the JSON it was stored as (LegacyHeldElsewhere types it)");

        public override void Write(Utf8JsonWriter writer, FromAnotherOrganization value, JsonSerializerOptions options) =>
            value.Stored.WriteTo(writer);
    }
}
