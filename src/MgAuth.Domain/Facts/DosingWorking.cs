using System.Text.Json.Serialization;
using MgAuth.Domain.Policies;
using MgAuth.Domain.Requests;

namespace MgAuth.Domain.Facts;

[JsonConverter(typeof(JsonStringEnumConverter<IdealWeightFormula>))]
public enum IdealWeightFormula
{
    [JsonStringEnumMemberName("devine_male")] DevineMale,
    [JsonStringEnumMemberName("devine_other")] DevineOther,
}

/// <summary>
/// §2 worked out (<see cref="DosingWeightCalculator.Work"/>): height in inches, Devine ideal body weight
/// (<c>base + kg per inch × (inches − base height)</c>), the threshold above which the weight is adjusted, and the
/// dosing weight before and after rounding (<see cref="Result"/>, as the decision has it).
/// </summary>
public sealed record DosingWeightWorking(
    decimal HeightCm,
    decimal CmPerInch,
    decimal HeightIn,
    IdealWeightFormula Formula,
    decimal DevineBaseKg,
    decimal DevineKgPerInch,
    decimal DevineBaseHeightIn,
    decimal IdealKg,
    decimal ShortStatureBelowCm,
    decimal AdjustAboveIdealRatio,
    decimal AdjustAboveKg,
    decimal AdjustmentFactor,
    decimal ActualKg,
    decimal UnroundedKg,
    decimal RoundingKg,
    DosingWeight Result);

/// <summary>A ceiling of grams per kg of dosing weight, rounded up to whole vials.</summary>
public sealed record VialCeilingWorking(decimal GramsPerKg, decimal DosingKg, decimal UnroundedGrams, int VialGrams, decimal Vials, decimal Grams);

/// <summary>
/// How the service worked out a request's dose under a policy, figure by figure, with the computation the decision's
/// facts come from (<see cref="FactBuilder"/>): the dosing weight, the course asked for in g/kg, and the course and
/// daily ceilings before and after vial rounding.
/// </summary>
public sealed record DosingWorking(
    DosingWeightWorking DosingWeight,
    decimal CourseGrams,
    decimal GramsPerKgPerCourse,
    VialCeilingWorking CourseCeiling,
    VialCeilingWorking DailyCeiling)
{
    public static DosingWorking Of(AuthorizationRequest request, Policy policy, DateOnly asOf)
    {
        var facts = FactBuilder.Build(request, policy, asOf);
        var m = request.Member;
        var kg = facts.Member.DosingWeight.Kg;
        return new DosingWorking(
            DosingWeightCalculator.Work(m.Sex, m.WeightKg, m.HeightCm, policy.DosingWeight),
            facts.Regimen.CourseGrams,
            facts.Regimen.GramsPerKgPerCourse,
            DosingWeightCalculator.WorkVialCeiling(policy.Dose.CourseCeilingGramsPerKg, kg, policy.Dose.VialGrams),
            DosingWeightCalculator.WorkVialCeiling(policy.Dose.DailyCeilingGramsPerKg, kg, policy.Dose.VialGrams));
    }
}
