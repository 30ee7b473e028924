namespace MgAuth.Rules.IvigMg;

// §4 Dose: ceilings worked out for this member's dosing weight, vial-rounded (DoseLimits).

[PolicyRow("§4 D1", "2023 guideline review of IVIG in MG: the guideline review supports the standard course dose and not higher")]
public sealed class DoseWithinCourseCeiling : Rule
{
    public override void Define()
    {
        Policy p = null!;
        Member m = null!;
        DoseLimits l = null!;
        Regimen r = null!;
        When()
            .Match(() => p)
            .Match(() => m)
            .Match(() => l)
            .Match(() => r, r => r.CourseGrams <= l.CourseCeilingGrams);
        Then().Do(ctx => ctx.AddReason(p, ReasonCodes.DoseWithinCourseCeiling, new
        {
            requested = r.CourseGrams,
            ceiling = l.CourseCeilingGrams,
            perKg = p.Dose.CourseCeilingGramsPerKg,
            dosingWeight = m.DosingWeight.Kg,
            method = m.DosingWeight.Method,
        }));
    }
}

[PolicyRow("§4 D1", "2023 guideline review of IVIG in MG: the guideline review supports the standard course dose and not higher")]
public sealed class DoseAboveCourseCeiling : Rule
{
    public override void Define()
    {
        Policy p = null!;
        Member m = null!;
        DoseLimits l = null!;
        Regimen r = null!;
        When()
            .Match(() => p)
            .Match(() => m)
            .Match(() => l)
            .Match(() => r, r => r.CourseGrams > l.CourseCeilingGrams);
        Then().Do(ctx => ctx.AddReasonWithAlternative(p, ReasonCodes.DoseAboveCourseCeiling, l.CourseCeilingGrams, new
        {
            requested = r.CourseGrams,
            ceiling = l.CourseCeilingGrams,
            perKg = p.Dose.CourseCeilingGramsPerKg,
            dosingWeight = m.DosingWeight.Kg,
            method = m.DosingWeight.Method,
            actual = m.DosingWeight.ActualKg,
        }));
    }
}

[PolicyRow("§4 D2", "2023 guideline review of IVIG in MG; Juel and Robinson neuromuscular therapeutics syllabus: the standard daily doses")]
public sealed class DailyDoseAboveCeiling : Rule
{
    public override void Define()
    {
        Policy p = null!;
        Member m = null!;
        DoseLimits l = null!;
        Regimen r = null!;
        When()
            .Match(() => p)
            .Match(() => m)
            .Match(() => l)
            .Match(() => r, r => r.GramsPerDay > l.DailyCeilingGrams);
        Then().Do(ctx => ctx.AddReason(p, ReasonCodes.DailyDoseAboveCeiling, new
        {
            requested = r.GramsPerDay,
            ceiling = l.DailyCeilingGrams,
            perKg = p.Dose.DailyCeilingGramsPerKg,
            dosingWeight = m.DosingWeight.Kg,
        }));
    }
}

[PolicyRow("§4 D3", "2023 guideline review of IVIG in MG; Juel and Robinson neuromuscular therapeutics syllabus: the standard course lengths")]
public sealed class NonstandardCourseLength : Rule
{
    public override void Define()
    {
        Policy p = null!;
        Regimen r = null!;
        When()
            .Match(() => p)
            .Match(() => r, r => r.InfusionDays > p.Dose.MaxStandardInfusionDays);
        Then().Do(ctx => ctx.AddReason(p, ReasonCodes.NonstandardCourseLength, new
        {
            days = r.InfusionDays,
            maxDays = p.Dose.MaxStandardInfusionDays,
        }));
    }
}
