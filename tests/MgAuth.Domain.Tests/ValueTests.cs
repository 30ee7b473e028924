using MgAuth.Domain.Requests;
using static MgAuth.Domain.Tests.TestRequests;

namespace MgAuth.Domain.Tests;

public class ValueTests
{
    [Theory]
    [InlineData("member.weightKg", "\"88\"", "must be a number")]
    [InlineData("member.heightCm", "true", "must be a number")]
    [InlineData("clinical.egfr", "[72]", "must be a number")]
    [InlineData("member.sex", "1", "must be a string, one of: female, male, other, unknown")]
    [InlineData("urgency", "false", "must be a string, one of: standard, expedited")]
    [InlineData("member.id", "1001", "must be a string")]
    [InlineData("policyId", "42", "must be a string")]
    [InlineData("provider.npi", "1234567893", "must be a string")]
    [InlineData("member.birthDate", "19610314", "must be a date string in the form YYYY-MM-DD")]
    [InlineData("continuation", "\"yes\"", "must be true or false")]
    [InlineData("clinical.bulbarDysfunction", "1", "must be true or false")]
    [InlineData("clinical.respiratory.intubated", "\"false\"", "must be true or false")]
    [InlineData("regimen.infusionDays", "\"2\"", "must be a whole number")]
    [InlineData("member", "\"M-1\"", "must be an object")]
    [InlineData("clinical", "[]", "must be an object")]
    [InlineData("clinical.mgAdl", "9", "must be an object")]
    [InlineData("priorTherapies", "{}", "must be an array")]
    [InlineData("priorIvigCourses", "\"none\"", "must be an array")]
    public void A_value_of_the_wrong_json_type_names_the_expected_type(string path, string value, string message)
    {
        Assert.Equal(message, SingleError(With(Complete, path, value), path));
    }

    [Fact]
    public void An_array_item_that_is_not_an_object_is_reported_at_its_index()
    {
        string json = With(Complete, "priorTherapies", """[ { "agent": "prednisone", "outcome": "effective" }, "azathioprine" ]""");

        Assert.Equal("must be an object", SingleError(json, "priorTherapies[1]"));
    }

    [Theory]
    [InlineData("clinical.mgAdl.current")]
    [InlineData("clinical.mgAdl.baseline")]
    [InlineData("clinical.qmg.current")]
    [InlineData("clinical.qmg.baseline")]
    [InlineData("regimen.infusionDays")]
    [InlineData("regimen.cycles")]
    [InlineData("regimen.intervalDays")]
    [InlineData("priorIvigResponse.mgAdlBefore")]
    [InlineData("priorIvigResponse.mgAdlAfter")]
    [InlineData("priorIvigResponse.qmgBefore")]
    [InlineData("priorIvigResponse.qmgAfter")]
    public void Counts_and_scores_must_be_whole_numbers(string path)
    {
        Assert.Equal("must be a whole number", SingleError(With(Complete, path, "7.5"), path));
    }

    [Fact]
    public void A_whole_number_written_with_a_decimal_point_is_accepted()
    {
        Assert.Equal(2, Accepted(With(Minimal, "regimen.infusionDays", "2.0")).Regimen.InfusionDays);
        Assert.Equal(3, Accepted(With(Minimal, "regimen.infusionDays", "3e0")).Regimen.InfusionDays);
    }

    [Theory]
    [InlineData("urgency", "Standard")]
    [InlineData("urgency", "urgent")]
    [InlineData("indication", "myasthenia")]
    [InlineData("indication", "pre-thymectomy")]
    [InlineData("member.sex", "F")]
    [InlineData("diagnosis.mgfaClass", "IIIB")]
    [InlineData("diagnosis.mgfaClass", "3b")]
    [InlineData("diagnosis.achrAntibody", "Positive")]
    [InlineData("diagnosis.muskAntibody", "equivocal")]
    [InlineData("diagnosis.lrp4Antibody", "")]
    [InlineData("diagnosis.electrodiagnostics", "not done")]
    [InlineData("clinical.igaStatus", "low")]
    [InlineData("priorTherapies[0].outcome", "failed")]
    [InlineData("priorIvigCourses[0].indication", "maintenance")]
    public void An_enum_value_outside_the_contract_is_rejected_exactly_and_case_sensitively(string path, string value)
    {
        string message = SingleError(With(Complete, path, $"\"{value}\""), path);

        Assert.StartsWith("must be one of: ", message);
    }

    [Fact]
    public void The_enum_message_lists_the_allowed_values()
    {
        Assert.Equal(
            "must be one of: I, IIa, IIb, IIIa, IIIb, IVa, IVb, V",
            SingleError(With(Minimal, "diagnosis.mgfaClass", "\"VI\""), "diagnosis.mgfaClass"));
        Assert.Equal(
            "must be one of: exacerbation, crisis, pre_thymectomy, bridging_steroids, refractory_maintenance",
            SingleError(With(Minimal, "indication", "\"other\""), "indication"));
    }

    [Theory]
    [InlineData("urgency", "expedited")]
    [InlineData("indication", "crisis")]
    [InlineData("indication", "pre_thymectomy")]
    [InlineData("indication", "bridging_steroids")]
    [InlineData("indication", "refractory_maintenance")]
    [InlineData("member.sex", "male")]
    [InlineData("member.sex", "unknown")]
    [InlineData("diagnosis.mgfaClass", "I")]
    [InlineData("diagnosis.mgfaClass", "IIa")]
    [InlineData("diagnosis.mgfaClass", "IIb")]
    [InlineData("diagnosis.mgfaClass", "IIIa")]
    [InlineData("diagnosis.mgfaClass", "IVa")]
    [InlineData("diagnosis.mgfaClass", "V")]
    [InlineData("diagnosis.achrAntibody", "negative")]
    [InlineData("diagnosis.achrAntibody", "unknown")]
    [InlineData("diagnosis.electrodiagnostics", "normal")]
    [InlineData("diagnosis.electrodiagnostics", "not_done")]
    [InlineData("clinical.igaStatus", "normal")]
    [InlineData("clinical.igaStatus", "deficient")]
    [InlineData("clinical.igaStatus", "unknown")]
    [InlineData("priorTherapies[0].outcome", "contraindicated")]
    [InlineData("priorTherapies[0].outcome", "effective")]
    [InlineData("priorTherapies[0].outcome", "ongoing")]
    [InlineData("priorIvigCourses[0].indication", "exacerbation")]
    public void Every_enum_value_of_the_contract_is_accepted(string path, string value)
    {
        Accepted(With(Complete, path, $"\"{value}\""));
    }

    [Theory]
    [InlineData("member.weightKg", "2", "400", "1.99", "400.01")]
    [InlineData("member.heightCm", "40", "250", "39.9", "250.5")]
    [InlineData("clinical.mgAdl.current", "0", "24", "-1", "25")]
    [InlineData("clinical.mgAdl.baseline", "0", "24", "-1", "25")]
    [InlineData("clinical.qmg.current", "0", "39", "-1", "40")]
    [InlineData("clinical.qmg.baseline", "0", "39", "-1", "40")]
    [InlineData("clinical.egfr", "0", "200", "-0.1", "200.1")]
    [InlineData("clinical.respiratory.fvcMlPerKg", "0", "100", "-1", "100.5")]
    [InlineData("regimen.gramsPerDay", "0.1", "500", "0", "500.01")]
    [InlineData("regimen.infusionDays", "1", "14", "0", "15")]
    [InlineData("regimen.cycles", "1", "52", "0", "53")]
    [InlineData("regimen.intervalDays", "7", "180", "6", "181")]
    [InlineData("plannedCorticosteroid.prednisoneMgPerKgPerDay", "0", "5", "-0.5", "5.1")]
    [InlineData("priorTherapies[0].months", "0", "600", "-1", "601")]
    [InlineData("priorIvigResponse.mgAdlBefore", "0", "24", "-1", "25")]
    [InlineData("priorIvigResponse.mgAdlAfter", "0", "24", "-1", "25")]
    [InlineData("priorIvigResponse.qmgBefore", "0", "39", "-1", "40")]
    [InlineData("priorIvigResponse.qmgAfter", "0", "39", "-1", "40")]
    public void Numbers_must_lie_in_the_contract_range(string path, string lowest, string highest, string below, string above)
    {
        Accepted(With(Complete, path, lowest));
        Accepted(With(Complete, path, highest));
        Assert.StartsWith("must be ", SingleError(With(Complete, path, below), path));
        Assert.StartsWith("must be ", SingleError(With(Complete, path, above), path));
    }

    [Fact]
    public void Range_messages_state_the_range()
    {
        Assert.Equal("must be between 2 and 400", SingleError(With(Minimal, "member.weightKg", "1"), "member.weightKg"));
        Assert.Equal("must be greater than 0 and at most 500", SingleError(With(Minimal, "regimen.gramsPerDay", "0"), "regimen.gramsPerDay"));
        Assert.Equal("must be between 1 and 14", SingleError(With(Minimal, "regimen.infusionDays", "30"), "regimen.infusionDays"));
    }

    [Theory]
    [InlineData("1e40")]
    [InlineData("-1e40")]
    [InlineData("1e400")]
    public void A_number_too_large_for_any_field_is_out_of_range(string value)
    {
        Assert.Equal("must be between 2 and 400", SingleError(With(Minimal, "member.weightKg", value), "member.weightKg"));
        Assert.Equal("must be between 1 and 14", SingleError(With(Minimal, "regimen.infusionDays", value), "regimen.infusionDays"));
    }

    [Theory]
    [InlineData("member.birthDate")]
    [InlineData("regimen.startDate")]
    [InlineData("plannedSurgery.date")]
    [InlineData("plannedCorticosteroid.startDate")]
    [InlineData("priorIvigCourses[0].startDate")]
    public void Dates_must_be_real_calendar_dates_written_as_yyyy_mm_dd(string path)
    {
        foreach (string notIso in new[] { "2020-1-05", "05/12/2020", "2020-12-05T00:00:00", "20201205", "2020-12-05 ", "2020_12_05", "tomorrow" })
        {
            Assert.Equal("must be a date in the form YYYY-MM-DD", SingleError(With(Complete, path, $"\"{notIso}\""), path));
        }
        foreach (string notCalendar in new[] { "2021-02-29", "2020-02-30", "2020-13-01", "2020-00-10", "2020-04-31", "0000-01-01" })
        {
            Assert.Equal("is not a calendar date", SingleError(With(Complete, path, $"\"{notCalendar}\""), path));
        }
    }

    // A date near the end of the calendar left it mid-decision (a 500; found by the front-door fuzzer).
    [Theory]
    [InlineData("member.birthDate", "1899-12-31")]
    [InlineData("member.birthDate", "0001-01-01")]
    [InlineData("regimen.startDate", "9999-12-31")]
    [InlineData("regimen.startDate", "2200-01-01")]
    [InlineData("plannedSurgery.date", "0001-01-01")]
    [InlineData("plannedCorticosteroid.startDate", "9999-12-31")]
    [InlineData("priorIvigCourses[0].startDate", "1899-12-31")]
    public void Dates_must_lie_between_1900_and_2199(string path, string date)
    {
        Assert.Equal("must be a date from 1900-01-01 to 2199-12-31", SingleError(With(Complete, path, $"\"{date}\""), path));
    }

    [Fact]
    public void The_first_and_last_dates_of_the_window_are_read()
    {
        Assert.Equal(new DateOnly(1900, 1, 1), Accepted(With(Minimal, "member.birthDate", "\"1900-01-01\"")).Member.BirthDate);
        Assert.Equal(new DateOnly(2199, 12, 31), Accepted(With(Minimal, "regimen.startDate", "\"2199-12-31\"")).Regimen.StartDate);
    }

    [Fact]
    public void A_leap_day_and_an_escaped_date_are_read()
    {
        Assert.Equal(new DateOnly(2024, 2, 29), Accepted(With(Minimal, "member.birthDate", "\"2024-02-29\"")).Member.BirthDate);
        Assert.Equal(new DateOnly(2026, 12, 5), Accepted(With(Minimal, "regimen.startDate", "\"\\u0032026-12-05\"")).Regimen.StartDate);
    }

    [Fact]
    public void A_birth_date_after_the_evaluation_date_is_rejected()
    {
        Assert.Equal(
            "must not be after the evaluation date 2026-11-22",
            SingleError(With(Minimal, "member.birthDate", "\"2026-11-23\""), "member.birthDate"));
    }

    [Fact]
    public void A_birth_date_on_the_evaluation_date_is_accepted()
    {
        Assert.Equal(AsOf, Accepted(With(Minimal, "member.birthDate", "\"2026-11-22\"")).Member.BirthDate);
    }

    [Fact]
    public void The_evaluation_date_decides_what_is_in_the_future()
    {
        string json = With(Minimal, "member.birthDate", "\"2026-11-23\"");

        Assert.True(RequestReader.Read(json, new DateOnly(2026, 11, 23)).IsValid);
        Assert.False(RequestReader.Read(json, new DateOnly(2026, 11, 22)).IsValid);
    }

    [Theory]
    [InlineData("0000000000")]
    [InlineData("1234567893")]
    public void An_npi_of_ten_digits_is_accepted(string npi)
    {
        Assert.Equal(npi, Accepted(With(Minimal, "provider.npi", $"\"{npi}\"")).Provider?.Npi);
    }

    [Theory]
    [InlineData("123456789")]
    [InlineData("12345678901")]
    [InlineData("12345abcde")]
    [InlineData("123456789 ")]
    [InlineData("١٢٣٤٥٦٧٨٩٠")]
    public void An_npi_that_is_not_ten_digits_is_rejected(string npi)
    {
        Assert.Equal("must be 10 digits", SingleError(With(Minimal, "provider.npi", $"\"{npi}\""), "provider.npi"));
    }

    [Fact]
    public void A_provider_without_npi_is_accepted()
    {
        Assert.Null(Accepted(With(Minimal, "provider", "{}")).Provider?.Npi);
    }

    [Fact]
    public void A_policy_id_is_read_as_given()
    {
        Assert.Equal("ivig-mg-standard", Accepted(With(Minimal, "policyId", "\"ivig-mg-standard\"")).PolicyId);
    }
}
