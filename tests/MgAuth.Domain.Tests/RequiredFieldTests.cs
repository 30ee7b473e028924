using static MgAuth.Domain.Tests.TestRequests;

namespace MgAuth.Domain.Tests;

public class RequiredFieldTests
{
    public static TheoryData<string> RequiredPaths =>
    [
        "indication",
        "member",
        "member.id",
        "member.birthDate",
        "member.sex",
        "member.weightKg",
        "member.heightCm",
        "diagnosis",
        "diagnosis.icd10",
        "diagnosis.mgfaClass",
        "regimen",
        "regimen.gramsPerDay",
        "regimen.infusionDays",
        "regimen.startDate",
        "plannedSurgery.procedure",
        "plannedCorticosteroid.startDate",
        "plannedCorticosteroid.prednisoneMgPerKgPerDay",
        "priorTherapies[0].agent",
        "priorTherapies[1].outcome",
        "priorIvigCourses[0].startDate",
        "priorIvigCourses[0].indication",
    ];

    [Theory]
    [MemberData(nameof(RequiredPaths))]
    public void A_missing_required_field_is_reported_at_its_path(string path)
    {
        Assert.Equal("is required", SingleError(Without(Complete, path), path));
    }

    [Theory]
    [MemberData(nameof(RequiredPaths))]
    public void Null_for_a_required_field_is_missing(string path)
    {
        Assert.Equal("is required", SingleError(With(Complete, path, "null"), path));
    }

    [Theory]
    [InlineData("member.id")]
    [InlineData("diagnosis.icd10")]
    [InlineData("plannedSurgery.procedure")]
    [InlineData("priorTherapies[0].agent")]
    [InlineData("policyId")]
    [InlineData("regimen.product")]
    public void An_empty_or_blank_string_is_not_a_value(string path)
    {
        Assert.Equal("must not be empty", SingleError(With(Complete, path, "\"\""), path));
        Assert.Equal("must not be empty", SingleError(With(Complete, path, "\"  \""), path));
    }

    [Theory]
    [InlineData("plannedSurgery.date")]
    [InlineData("priorTherapies[0].months")]
    public void Optional_fields_of_optional_objects_may_be_left_out(string path)
    {
        Accepted(Without(Complete, path));
    }

    [Fact]
    public void A_missing_object_is_one_error_not_one_per_field()
    {
        ProblemDocumentAssert.Keys(Rejected(Without(Minimal, "member")), "member");
    }

    [Fact]
    public void An_empty_body_object_reports_every_required_top_level_field()
    {
        ProblemDocumentAssert.Keys(Rejected("{}"), "indication", "member", "diagnosis", "regimen");
    }

    [Fact]
    public void Interval_days_is_required_when_there_is_more_than_one_cycle()
    {
        string json = With(Minimal, "regimen.cycles", "2");

        Assert.Equal("is required when cycles is greater than 1", SingleError(json, "regimen.intervalDays"));
        Assert.Equal("is required when cycles is greater than 1", SingleError(With(json, "regimen.intervalDays", "null"), "regimen.intervalDays"));
    }

    [Fact]
    public void Interval_days_is_optional_for_a_single_cycle_and_checked_when_given()
    {
        Assert.Null(Accepted(With(Minimal, "regimen.cycles", "1")).Regimen.IntervalDays);
        Assert.Equal(28, Accepted(With(Minimal, "regimen.intervalDays", "28")).Regimen.IntervalDays);
        SingleError(With(Minimal, "regimen.intervalDays", "3"), "regimen.intervalDays");
    }

    [Fact]
    public void An_invalid_cycle_count_does_not_also_demand_an_interval()
    {
        string json = Without(With(Complete, "regimen.cycles", "60"), "regimen.intervalDays");

        SingleError(json, "regimen.cycles");
    }

    [Fact]
    public void An_invalid_interval_is_reported_once_not_also_as_missing()
    {
        Assert.Equal("must be a whole number", SingleError(With(Complete, "regimen.intervalDays", "\"28\""), "regimen.intervalDays"));
    }
}
