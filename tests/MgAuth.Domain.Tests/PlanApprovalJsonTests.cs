using System.Text.Json;
using MgAuth.Domain.Decisions;
using MgAuth.Domain.Facts;
using MgAuth.Domain.Requests;

namespace MgAuth.Domain.Tests;

/// <summary>A stored history tells this organization's approvals from another's by type; the old marker still reads as another's.</summary>
public class PlanApprovalJsonTests
{
    private static readonly DateOnly From = new(2026, 12, 17);
    private static readonly DateOnly Through = new(2027, 1, 15);

    [Fact]
    public void This_organizations_approval_is_stored_as_before_and_another_organizations_with_no_id_at_all()
    {
        PlanApproval[] history = [new ApprovedAuthorization("PA-1", Indication.Exacerbation, From, Through), new ApprovalHeldElsewhere(Indication.Crisis, From, Through)];

        var json = JsonSerializer.Serialize(history, MgAuthJson.Compact);

        Assert.Equal("""[{"authorizationId":"PA-1","indication":"exacerbation","validFrom":"2026-12-17","validThrough":"2027-01-15"},"""
            + """{"indication":"crisis","validFrom":"2026-12-17","validThrough":"2027-01-15"}]""", json);
        Assert.Equal(history, JsonSerializer.Deserialize<PlanApproval[]>(json, MgAuthJson.Compact));
    }

    [Fact]
    public void A_history_stored_with_the_marker_in_place_of_an_id_reads_as_another_organizations_approval()
    {
        var stored = $$"""[{"authorizationId":"{{LegacyHeldElsewhere.Marker}}","indication":"exacerbation","validFrom":"2026-12-17","validThrough":"2027-01-15"}]""";

        var read = Assert.Single(JsonSerializer.Deserialize<PlanApproval[]>(stored, MgAuthJson.Compact)!);

        Assert.Equal(new ApprovalHeldElsewhere(Indication.Exacerbation, From, Through), read);
        Assert.DoesNotContain(LegacyHeldElsewhere.Marker, JsonSerializer.Serialize<PlanApproval[]>([read], MgAuthJson.Compact));
    }

    [Fact]
    public void A_decision_made_now_has_no_part_from_another_organization_and_a_stored_one_is_typed_where_it_names_one()
    {
        var made = new TraceEntry(1, "R", new Dictionary<string, object?> { ["a"] = new ApprovedAuthorization("PA-1", Indication.Exacerbation, From, Through) });
        var json = $$$"""{"seq":1,"rule":"R","facts":{"a":{"authorizationId":"{{{LegacyHeldElsewhere.Marker}}}"},"b":[1,"x {{{LegacyHeldElsewhere.Marker}}}"],"c":2}}""";
        var stored = JsonSerializer.Deserialize<TraceEntry>(json, MgAuthJson.Compact)!;

        Assert.IsType<ApprovedAuthorization>(made.Facts["a"]);
        Assert.Equal(new FromAnotherOrganization(((FromAnotherOrganization)stored.Facts["a"]!).Stored, IsRecord: true), stored.Facts["a"]);
        var b = Assert.IsType<object?[]>(stored.Facts["b"]);
        Assert.IsType<JsonElement>(b[0]);
        Assert.False(Assert.IsType<FromAnotherOrganization>(b[1]).IsRecord);
        Assert.IsType<JsonElement>(stored.Facts["c"]);
        // The staff read it as stored.
        Assert.Equal(json, JsonSerializer.Serialize(stored, MgAuthJson.Compact));
    }
}
