using MgAuth.Domain.Policies;
using MgAuth.Domain.Requests;

namespace MgAuth.Domain.Facts;

/// <summary>§2: Devine ideal body weight and the dosing weight, in decimal arithmetic.</summary>
public static class DosingWeightCalculator
{
    public static DosingWeight Calculate(Sex sex, decimal weightKg, decimal heightCm, DosingWeightParameters p) =>
        Work(sex, weightKg, heightCm, p).Result;

    /// <summary>The dosing weight with every figure it is worked out from (what the console shows).</summary>
    public static DosingWeightWorking Work(Sex sex, decimal weightKg, decimal heightCm, DosingWeightParameters p)
    {
        var heightIn = heightCm / p.CmPerInch;
        var formula = sex == Sex.Male ? IdealWeightFormula.DevineMale : IdealWeightFormula.DevineOther;
        var baseKg = formula == IdealWeightFormula.DevineMale ? p.DevineMaleBaseKg : p.DevineOtherBaseKg;
        var idealKg = baseKg + p.DevineKgPerInch * (heightIn - p.DevineBaseHeightIn);
        var adjustAboveKg = p.AdjustAboveIdealRatio * idealKg;

        var (kg, method) = heightCm < p.ShortStatureBelowCm
            ? (weightKg, DosingWeightMethod.ActualShortStature)
            : weightKg > adjustAboveKg
                ? (idealKg + p.AdjustmentFactor * (weightKg - idealKg), DosingWeightMethod.Adjusted)
                : (weightKg, DosingWeightMethod.Actual);

        return new DosingWeightWorking(heightCm, p.CmPerInch, heightIn, formula, baseKg, p.DevineKgPerInch, p.DevineBaseHeightIn, idealKg,
            p.ShortStatureBelowCm, p.AdjustAboveIdealRatio, adjustAboveKg, p.AdjustmentFactor, weightKg, kg, p.RoundingKg,
            new DosingWeight(RoundHalfUp(kg, p.RoundingKg), method, RoundHalfUp(idealKg, p.RoundingKg), weightKg));
    }

    public static decimal RoundHalfUp(decimal value, decimal step) =>
        Math.Round(value / step, 0, MidpointRounding.AwayFromZero) * step;

    /// <summary>The next whole vial: <c>roundUp(g/kg × kg, vialGrams)</c>.</summary>
    public static decimal VialCeiling(decimal gramsPerKg, decimal kg, int vialGrams) => WorkVialCeiling(gramsPerKg, kg, vialGrams).Grams;

    /// <summary>A vial-rounded ceiling with the figures it is worked out from.</summary>
    public static VialCeilingWorking WorkVialCeiling(decimal gramsPerKg, decimal kg, int vialGrams)
    {
        var unrounded = gramsPerKg * kg;
        var vials = Math.Ceiling(unrounded / vialGrams);
        return new VialCeilingWorking(gramsPerKg, kg, unrounded, vialGrams, vials, vials * vialGrams);
    }
}
