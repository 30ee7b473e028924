using System.Globalization;
using Hl7.Fhir.Model;

namespace MgAuth.Fhir;

/// <summary>Contract dates (calendar days) as FHIR date strings and back.</summary>
internal static class FhirDates
{
    public static string Text(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static Date Date(DateOnly date) => new(Text(date));

    public static FhirDateTime DateTime(DateOnly date) => new(Text(date));

    /// <summary>The calendar day a FHIR date or dateTime names, in its own time zone; null when it names no single day.</summary>
    public static DateOnly? Day(string? value) =>
        value is { Length: >= 10 } && DateOnly.TryParseExact(value[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? day
            : null;
}
