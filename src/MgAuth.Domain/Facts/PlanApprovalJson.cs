using System.Text.Json;
using System.Text.Json.Serialization;
using MgAuth.Domain.Decisions;
using MgAuth.Domain.Requests;

namespace MgAuth.Domain.Facts;

/// <summary>
/// A <see cref="PlanApproval"/> as a stored history has it: <c>{authorizationId, indication, validFrom, validThrough}</c>
/// for this organization's, the same without <c>authorizationId</c> for another's. A history stored before the two were
/// told apart by type named another's by <see cref="LegacyHeldElsewhere.Marker"/> in place of the id; it reads as such.
/// </summary>
public sealed class PlanApprovalJson : JsonConverter<PlanApproval>
{
    public override PlanApproval Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var stored = JsonSerializer.Deserialize<Stored>(ref reader, options) ?? throw new JsonException("an approval is an object");
        return stored.AuthorizationId is { } id && !LegacyHeldElsewhere.IsMarker(id)
            ? new ApprovedAuthorization(id, stored.Indication, stored.ValidFrom, stored.ValidThrough)
            : new ApprovalHeldElsewhere(stored.Indication, stored.ValidFrom, stored.ValidThrough);
    }

    public override void Write(Utf8JsonWriter writer, PlanApproval value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, new Stored((value as ApprovedAuthorization)?.AuthorizationId, value.Indication, value.ValidFrom,
            value.ValidThrough), options);

    private sealed record Stored(
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? AuthorizationId,
        Indication Indication, DateOnly ValidFrom, DateOnly ValidThrough);
}
