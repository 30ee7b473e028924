using System.Globalization;

namespace MgAuth.Domain.Requests.Validation;

/// <summary>An inclusive numeric range from the contract; <c>MinExclusive</c> for "greater than".</summary>
internal readonly record struct Bounds(decimal Min, decimal Max, bool MinExclusive = false)
{
    public bool Contains(decimal value) => (MinExclusive ? value > Min : value >= Min) && value <= Max;

    public string Describe() => MinExclusive
        ? string.Create(CultureInfo.InvariantCulture, $"must be greater than {Min} and at most {Max}")
        : string.Create(CultureInfo.InvariantCulture, $"must be between {Min} and {Max}");
}
