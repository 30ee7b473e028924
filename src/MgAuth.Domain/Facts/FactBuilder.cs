using MgAuth.Domain.Decisions;
using MgAuth.Domain.Policies;
using MgAuth.Domain.Requests;

namespace MgAuth.Domain.Facts;

/// <summary>
/// The facts one request becomes under one policy, ready to insert into a session after the policy
/// itself: the policy is one fact, and rules read its lists through it (Covers, Agent, ...).
/// </summary>
public sealed record RequestFacts(Request Request, Member Member, Regimen Regimen, DoseLimits Limits, IReadOnlyList<object> Facts);

public static class FactBuilder
{
    public static RequestFacts Build(AuthorizationRequest request, Policy policy, DateOnly asOf,
        IReadOnlyList<PlanApproval>? history = null)
    {
        var facts = new List<object>(16);
        var r = new Request(request.Indication, request.Continuation, request.Urgency, asOf);
        var member = BuildMember(request.Member, policy, asOf);
        var regimen = BuildRegimen(request.Regimen, member.DosingWeight.Kg, policy);
        var limits = BuildLimits(regimen, member.DosingWeight.Kg, policy);

        facts.Add(r);
        facts.Add(new CriteriaUnderReview(request.Indication));
        facts.Add(member);
        facts.Add(regimen);
        facts.Add(limits);
        var d = request.Diagnosis;
        facts.Add(new Diagnosis(d.Icd10, d.MgfaClass, d.AchrAntibody, d.MuskAntibody, d.Lrp4Antibody, d.Electrodiagnostics));
        AddClinical(request.Clinical, facts);

        if (request.PlannedSurgery is { } surgery)
            facts.Add(new PlannedSurgery(surgery.Procedure, surgery.Date));
        if (request.PlannedCorticosteroid is { } steroid)
            facts.Add(new PlannedCorticosteroid(steroid.StartDate, steroid.PrednisoneMgPerKgPerDay));
        if (request.PriorIvigResponse is { } response)
            facts.Add(new PriorIvigResponse(response.MgAdlBefore, response.MgAdlAfter, response.QmgBefore, response.QmgAfter));
        for (var i = 0; i < request.PriorTherapies.Count; i++)
        {
            var t = request.PriorTherapies[i];
            facts.Add(new PriorTherapy(i, t.Agent, t.Months ?? 0, t.Outcome));
        }
        foreach (var course in request.PriorIvigCourses)
            facts.Add(new PriorIvigCourse(course.StartDate, course.Indication, PriorIvigCourse.FromRequest));
        var heldElsewhere = false;
        foreach (var approval in history ?? [])
        {
            if (approval is not ApprovedAuthorization approved)
            {
                heldElsewhere |= NearToday(approval, asOf, policy.History.WindowDays);
                continue;
            }
            // The session sees the period and indication; the id only as an opaque reference a message may name.
            facts.Add(new PriorAuthorization(new AuthorizationReference(approved.AuthorizationId), approved.Indication, approved.ValidFrom, approved.ValidThrough));
            // A course the provider declared as well is counted once.
            if (!request.PriorIvigCourses.Any(c => c.StartDate == approved.ValidFrom && c.Indication == approved.Indication))
                facts.Add(new PriorIvigCourse(approved.ValidFrom, approved.Indication, PriorIvigCourse.FromPlan));
        }
        // A policy version stored before the reason existed cannot give it (ReasonCodes.AddedLater): there the record is not weighed.
        if (heldElsewhere && policy.Reasons.ContainsKey(ReasonCodes.AuthorizationHeldElsewhere)) facts.Add(new AuthorizationHeldElsewhere());

        return new RequestFacts(r, member, regimen, limits, facts);
    }

    /// <summary>
    /// Whether another organization's approval is "near" enough to pend a request for review. It is decided on the
    /// service's date and the policy's look-back window alone, never on anything the caller sends (the start date):
    /// days fall into blocks of <paramref name="windowDays"/> (day number / window), and the approval is near when a
    /// block it spans is today's block or either neighbour. So every request made on one day gets the same answer
    /// whatever its dates; shifting the start date over repeated submissions learns nothing; and even a caller who
    /// submits every day for a year learns only in which window-sized blocks the approval begins and ends (180 days
    /// under the standard policy), never its dates. An approval within one window of today is always near; one more
    /// than two windows away never is.
    /// </summary>
    public static bool NearToday(PlanApproval approval, DateOnly asOf, int windowDays)
    {
        var window = Math.Max(windowDays, 1);
        var today = asOf.DayNumber / window;
        return approval.ValidFrom.DayNumber / window <= today + 1 && approval.ValidThrough.DayNumber / window >= today - 1;
    }

    public static int AgeOn(DateOnly birthDate, DateOnly asOf)
    {
        var age = asOf.Year - birthDate.Year;
        return birthDate.AddYears(age) > asOf ? age - 1 : age;
    }

    private static Member BuildMember(MemberData m, Policy policy, DateOnly asOf) =>
        new(AgeOn(m.BirthDate, asOf), m.Sex, m.WeightKg, m.HeightCm,
            DosingWeightCalculator.Calculate(m.Sex, m.WeightKg, m.HeightCm, policy.DosingWeight));

    private static Regimen BuildRegimen(RegimenData g, decimal dosingKg, Policy policy)
    {
        var course = g.GramsPerDay * g.InfusionDays;
        var end = g.Cycles > 1 && g.IntervalDays is { } interval
            ? g.StartDate.AddDays(g.Cycles * interval - 1)
            : g.StartDate.AddDays(policy.AcuteAuthorizationDays - 1);
        return new Regimen(g.Product, g.GramsPerDay, g.InfusionDays, g.Cycles, g.IntervalDays, g.StartDate, course,
            Math.Round(course / dosingKg, 2, MidpointRounding.AwayFromZero), g.StartDate, end);
    }

    private static DoseLimits BuildLimits(Regimen regimen, decimal dosingKg, Policy policy)
    {
        var m = policy.Maintenance;
        var perKg = regimen.CourseGrams / dosingKg;
        var intensity = regimen.Cycles > 1 && regimen.IntervalDays is { } interval
            ? perKg * m.CeilingPeriodDays / interval
            : perKg;
        return new DoseLimits(
            DosingWeightCalculator.VialCeiling(policy.Dose.CourseCeilingGramsPerKg, dosingKg, policy.Dose.VialGrams),
            DosingWeightCalculator.VialCeiling(policy.Dose.DailyCeilingGramsPerKg, dosingKg, policy.Dose.VialGrams),
            Math.Round(intensity, m.IntensityDecimals, MidpointRounding.AwayFromZero));
    }

    private static void AddClinical(ClinicalData c, List<object> facts)
    {
        facts.Add(new ClinicalFindings(
            c.MgAdl?.Current, c.MgAdl?.Baseline, c.Qmg?.Current, c.Qmg?.Baseline,
            c.BulbarDysfunction,
            c.Respiratory?.Intubated ?? false, c.Respiratory?.NonInvasiveVentilation ?? false, c.Respiratory?.FvcMlPerKg,
            c.Egfr, c.DiabeticNephropathy, c.IgaStatus, c.ThromboembolicHistory, c.HeartFailure, c.PriorIgAnaphylaxis,
            c.ImmunosuppressantsContraindicated));
        if (c.Hyperprolinemia) facts.Add(new MemberCondition("hyperprolinemia"));
        if (c.HereditaryFructoseIntolerance) facts.Add(new MemberCondition("hereditaryFructoseIntolerance"));
    }
}
