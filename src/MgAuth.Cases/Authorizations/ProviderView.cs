using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MgAuth.Cases.Decisions;
using MgAuth.Cases.Security;
using MgAuth.Domain.Decisions;
using MgAuth.Domain.Facts;

namespace MgAuth.Cases.Authorizations;

/// <summary>
/// What a provider reads of a decision. Another organization's approvals weigh in the plan's decision (§4 H1/H2)
/// and the plan's staff see them in full; a provider reads that such a record bore on its request, never its
/// holder, dates or indication. Wherever a decision names one (<see cref="AuthorizationService.OtherOrganization"/>),
/// the fact is withheld from the trace and the reason's message is replaced by <see cref="Message"/>.
/// </summary>
public static class ProviderView
{
    public const string Withheld = "withheld";

    public const string Message =
        "An approved authorization the plan holds for this member bears on this request; a reviewer weighs it. Its details are not shown to providers.";

    private static readonly byte[] Marker = Encoding.UTF8.GetBytes(AuthorizationService.OtherOrganization);

    // The facts the member's history becomes; a why-not over them would show their dates.
    private static readonly string[] HistoryFacts = [nameof(PriorAuthorization), nameof(ApprovedAuthorization), nameof(PriorIvigCourse)];

    /// <summary>The decision as this caller may read it: in full for the plan's staff, else the provider's view.</summary>
    public static CaseDecision For(Caller caller, CaseDecision decision, bool historyOfOthers = false) =>
        Roles.SeesAllOrganizations(caller.Role) ? decision : Of(decision, historyOfOthers);

    /// <summary>
    /// The provider's view of a decision. <paramref name="historyOfOthers"/>: the case's history holds another
    /// organization's record, so a why-not over the history facts keeps its rule and condition but not its values.
    /// </summary>
    public static CaseDecision Of(CaseDecision decision, bool historyOfOthers = false)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(decision, MgAuthJson.Compact);
        if (!historyOfOthers && !Names(json)) return decision;
        var node = Redact(JsonNode.Parse(json)!);
        if (historyOfOthers && node["explain"] is JsonArray explain)
            foreach (var whyNot in explain.OfType<JsonObject>().Where(w => OverHistory((string?)w["pattern"])))
                whyNot["values"] = new JsonObject();
        return node.Deserialize<CaseDecision>(MgAuthJson.Compact)!;
    }

    /// <summary>The provider's view of a decision as stored (JSON); the same bytes when nothing is to be withheld.</summary>
    public static byte[] Of(byte[] json) =>
        Names(json) ? Encoding.UTF8.GetBytes(Redact(JsonNode.Parse(json)!).ToJsonString(MgAuthJson.Compact)) : json;

    /// <summary>Whether a stored history (or decision) holds another organization's record.</summary>
    public static bool Names(ReadOnlySpan<byte> json) => json.IndexOf(Marker) >= 0;

    /// <inheritdoc cref="Names(ReadOnlySpan{byte})"/>
    public static bool Names(string json) => json.Contains(AuthorizationService.OtherOrganization, StringComparison.Ordinal);

    // An object that is another organization's record is withheld whole; a text that mentions one is replaced.
    private static JsonNode Redact(JsonNode node)
    {
        switch (node)
        {
            case JsonObject o when o.Any(p => IsMarker(p.Value)):
                return JsonValue.Create(Withheld);
            case JsonObject o:
                foreach (var key in o.Select(p => p.Key).ToArray())
                    if (o[key] is { } child && Redact(child) is var redacted && !ReferenceEquals(redacted, child)) o[key] = redacted;
                return o;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                    if (a[i] is { } child && Redact(child) is var redacted && !ReferenceEquals(redacted, child)) a[i] = redacted;
                return a;
            case JsonValue v when v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() is var text
                                  && text.Contains(AuthorizationService.OtherOrganization, StringComparison.Ordinal):
                return JsonValue.Create(text == AuthorizationService.OtherOrganization ? Withheld : Message);
            default:
                return node;
        }
    }

    private static bool IsMarker(JsonNode? value) =>
        value is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() == AuthorizationService.OtherOrganization;

    private static bool OverHistory(string? pattern) =>
        pattern is not null && HistoryFacts.Any(f => pattern.EndsWith(" " + f, StringComparison.Ordinal));
}
