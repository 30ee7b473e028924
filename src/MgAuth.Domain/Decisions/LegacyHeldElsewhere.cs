using System.Text.Json;

namespace MgAuth.Domain.Decisions;

/// <summary>
/// How the service marked another organization's record before that was a type: this text in place of its authorization
/// id, in the stored history and in whatever a decision made from the record (its trace, a reason's message, a
/// determination quoting one). Nothing writes it any more; reading what was stored turns it into types here, once:
/// a history's record into <see cref="Facts.ApprovalHeldElsewhere"/>, a decision's parts into
/// <see cref="FromAnotherOrganization"/> and the flags on <see cref="ReasonView"/> and <see cref="Determination"/>.
/// </summary>
public static class LegacyHeldElsewhere
{
    /// <summary>The text that stood for another organization's record.</summary>
    public const string Marker = "held by another organization";

    /// <summary>Whether <paramref name="text"/> is the marker itself (an id that was another organization's record).</summary>
    public static bool IsMarker(string? text) => text == Marker;

    /// <summary>Whether <paramref name="text"/> names another organization's record (a sentence quoting its marker).</summary>
    public static bool Names(string? text) => text?.Contains(Marker, StringComparison.Ordinal) == true;

    /// <summary>
    /// A stored decision's values (a trace entry's facts) with every part that came from another organization's record
    /// made a <see cref="FromAnotherOrganization"/>: the same dictionary when none did (a decision just made never has one).
    /// </summary>
    public static IReadOnlyDictionary<string, object?> Typed(IReadOnlyDictionary<string, object?> values)
    {
        if (!values.Values.Any(v => v is JsonElement e && Names(e.GetRawText()))) return values;
        return values.ToDictionary(p => p.Key, p => p.Value is JsonElement e ? Typed(e) : p.Value);
    }

    // An object holding the marker is that record, withheld whole; a text holding it names one; a container holding one
    // somewhere becomes a dictionary or list of its parts, each typed so.
    private static object? Typed(JsonElement value)
    {
        if (!Names(value.GetRawText())) return value;
        return value.ValueKind switch
        {
            JsonValueKind.String => new FromAnotherOrganization(value, IsRecord: IsMarker(value.GetString())),
            JsonValueKind.Object when value.EnumerateObject().Any(p => p.Value.ValueKind == JsonValueKind.String && IsMarker(p.Value.GetString()))
                => new FromAnotherOrganization(value, IsRecord: true),
            JsonValueKind.Object => value.EnumerateObject().ToDictionary(p => p.Name, p => Typed(p.Value)),
            JsonValueKind.Array => value.EnumerateArray().Select(Typed).ToArray(),
            _ => value,
        };
    }
}
