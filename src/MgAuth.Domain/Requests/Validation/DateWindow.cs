using System.Globalization;

namespace MgAuth.Domain.Requests.Validation;

/// <summary>
/// The dates a request may carry. The calendar ends at 9999-12-31, and a course, its cycles and the policy's
/// windows are counted from the dates given, so a date near either end would leave the calendar mid-decision.
/// </summary>
internal readonly record struct DateWindow(DateOnly First, DateOnly Last)
{
    public bool Contains(DateOnly date) => date >= First && date <= Last;

    public string Describe() => string.Create(CultureInfo.InvariantCulture, $"must be a date from {First:yyyy-MM-dd} to {Last:yyyy-MM-dd}");
}
