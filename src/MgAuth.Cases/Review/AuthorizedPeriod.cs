using MgAuth.Domain.Decisions;
using MgAuth.Domain.Policies;
using MgAuth.Domain.Requests;

namespace MgAuth.Cases.Review;

/// <summary>
/// What a person's approval authorizes, framed as the engine frames its own approvals (§5): an acute
/// indication gets one course over the acute period; maintenance its cycles, capped where the policy caps it.
/// </summary>
public static class AuthorizedPeriod
{
    public static AuthorizedRegimen Of(Indication indication, RegimenData regimen, Policy policy) =>
        Of(indication, regimen.GramsPerDay, regimen.InfusionDays, regimen.Cycles, regimen.IntervalDays, regimen.StartDate, policy);

    public static AuthorizedRegimen Of(Indication indication, ModifiedRegimen regimen, Policy policy) =>
        Of(indication, regimen.GramsPerDay, regimen.InfusionDays, regimen.Cycles, regimen.IntervalDays, regimen.StartDate, policy);

    private static AuthorizedRegimen Of(Indication indication, decimal gramsPerDay, int infusionDays, int cycles, int? intervalDays,
        DateOnly start, Policy policy)
    {
        var courseGrams = gramsPerDay * infusionDays;
        var acuteDays = policy.AcuteAuthorizationDays;
        if (indication != Indication.RefractoryMaintenance)
            return new AuthorizedRegimen(courseGrams, 1, courseGrams, start, start.AddDays(acuteDays - 1));

        var through = cycles > 1 && intervalDays is { } interval ? start.AddDays(cycles * interval - 1) : start.AddDays(acuteDays - 1);
        var cap = policy.Maintenance.AuthorizationCapDays;
        if (policy.Maintenance.ChronicMaintenanceCovered && through.DayNumber - start.DayNumber + 1 > cap)
        {
            through = start.AddDays(cap - 1);
            cycles = intervalDays is { } i ? Math.Min(cycles, (cap - 1) / i + 1) : 1;
        }
        return new AuthorizedRegimen(courseGrams, cycles, courseGrams * cycles, start, through);
    }
}
