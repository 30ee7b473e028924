using System.Text.Json;
using MgAuth.Domain.Decisions;
using MgAuth.Domain.Policies;

namespace MgAuth.Domain.Tests;

/// <summary>Only the policy's reason actions make a Reason, but its JSON (in traces, stored decisions) reads as before.</summary>
public class ReasonJsonTests
{
    private static readonly Reason DoseDenial = new Reason("DOSE_ABOVE_COURSE_CEILING", ReasonEffect.Deny, DenialKind.MedicalNecessity,
        "Requested 180 g exceeds 160 g", "§4 D1", "seed 001", "DoseAboveCourseCeiling")
        with { MissingDocumentation = ["weightKg"], ApprovableCourseGrams = 160m };

    private const string DoseDenialJson = """
        {"code":"DOSE_ABOVE_COURSE_CEILING","effect":"deny","denialKind":"medical_necessity","message":"Requested 180 g exceeds 160 g","policyRef":"§4 D1","evidence":"seed 001","rule":"DoseAboveCourseCeiling","missingDocumentation":["weightKg"],"approvableCourseGrams":160}
        """;

    [Fact]
    public void A_reason_serializes_as_before()
    {
        Assert.Equal(DoseDenialJson, JsonSerializer.Serialize(DoseDenial, MgAuthJson.Compact));
    }

    [Fact]
    public void A_reason_reads_back_from_its_json()
    {
        var read = JsonSerializer.Deserialize<Reason>(DoseDenialJson, MgAuthJson.Compact)!;

        Assert.Equal(DoseDenialJson, JsonSerializer.Serialize(read, MgAuthJson.Compact));
        Assert.Equal(DoseDenial with { MissingDocumentation = read.MissingDocumentation }, read);
    }
}
