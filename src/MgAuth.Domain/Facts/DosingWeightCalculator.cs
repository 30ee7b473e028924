using MgAuth.Domain.Policies;
using MgAuth.Domain.Requests;

namespace MgAuth.Domain.Facts;

/// <summary>§2: Devine ideal body weight and the dosing weight, in decimal arithmetic.</summary>
public static class DosingWeightCalculator
{
    public static DosingWeight Calculate(Sex sex, decimal weightKg, decimal heightCm, DosingWeightParameters p)
    {
        var heightIn = heightCm / p.CmPerInch;
        var baseKg = sex == Sex.Male ? p.DevineMaleBaseKg : p.DevineOtherBaseKg;
        var idealKg = baseKg + p.DevineKgPerInch * (heightIn - p.DevineBaseHeightIn);

        var (kg, method) = heightCm < p.ShortStatureBelowCm
            ? (weightKg, DosingWeightMethod.ActualShortStature)
            : weightKg > p.AdjustAboveIdealRatio * idealKg
                ? (idealKg + p.AdjustmentFactor * (weightKg - idealKg), DosingWeightMethod.Adjusted)
                : (weightKg, DosingWeightMethod.Actual);

        return new DosingWeight(RoundHalfUp(kg, p.RoundingKg), method, RoundHalfUp(idealKg, p.RoundingKg), weightKg);
    }

    public static decimal RoundHalfUp(decimal value, decimal step) =>
        Math.Round(value / step, 0, MidpointRounding.AwayFromZero) * step;

    /// <summary>The next whole vial: <c>roundUp(g/kg × kg, vialGrams)</c>.</summary>
    public static decimal VialCeiling(decimal gramsPerKg, decimal kg, int vialGrams) =>
        Math.Ceiling(gramsPerKg * kg / vialGrams) * vialGrams;
}
