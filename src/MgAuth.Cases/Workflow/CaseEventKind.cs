using System.Text.Json.Serialization;

namespace MgAuth.Cases.Workflow;

/// <summary>What happened to a case: one entry of its audit trail (events.kind, stored by its contract name).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CaseEventKind>))]
public enum CaseEventKind
{
    [JsonStringEnumMemberName("submitted")] Submitted,
    [JsonStringEnumMemberName("decided")] Decided,
    [JsonStringEnumMemberName("supplemented")] Supplemented,
    [JsonStringEnumMemberName("viewed")] Viewed,
    [JsonStringEnumMemberName("claimed")] Claimed,
    [JsonStringEnumMemberName("claim_renewed")] ClaimRenewed,
    [JsonStringEnumMemberName("claim_released")] ClaimReleased,
    [JsonStringEnumMemberName("determined")] Determined,
    [JsonStringEnumMemberName("information_requested")] InformationRequested,
    [JsonStringEnumMemberName("appealed")] Appealed,
}
