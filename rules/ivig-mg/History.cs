namespace MgAuth.Rules.IvigMg;

// §4 History: prior courses, declared by the provider or, in the service, approved by the plan.

[PolicyRow("§4 H1", "repeated acute courses suggest the need for maintenance therapy, not another rescue")]
public sealed class RecurrentAcuteCourses : Rule
{
    public override void Define()
    {
        Policy p = null!;
        Regimen r = null!;
        IEnumerable<PriorIvigCourse> recent = null!;
        When()
            .Match(() => p)
            .Match(() => r)
            .Query(() => recent, q => q
                .Match<PriorIvigCourse>(
                    c => p.History.AcuteIndications.Contains(c.Indication),
                    c => c.StartDate >= r.StartDate.AddDays(-p.History.WindowDays),
                    c => c.StartDate < r.StartDate)
                .Collect()
                .Where(x => x.Count() >= p.History.RecurrentAcuteCourses));
        Then().Do(ctx => ctx.AddReason(p, ReasonCodes.RecurrentAcuteCourses, new
        {
            count = recent.Count(),
            windowDays = p.History.WindowDays,
            threshold = p.History.RecurrentAcuteCourses,
        }));
    }
}

[PolicyRow("§4 H2", "one authorization per member and period")]
public sealed class OverlappingAuthorization : Rule
{
    public override void Define()
    {
        Policy p = null!;
        Regimen r = null!;
        PriorAuthorization a = null!;
        When()
            .Match(() => p)
            .Match(() => r)
            .Match(() => a, a => a.ValidFrom <= r.PeriodEnd && a.ValidThrough >= r.PeriodStart);
        Then().Do(ctx => ctx.AddReason(p, ReasonCodes.OverlappingAuthorization, new
        {
            authorization = a.Reference,
            from = a.ValidFrom,
            through = a.ValidThrough,
        }));
    }
}

// The session sees only that another organization holds an approval near today (no holder, no dates): the plan's reviewer
// weighs it; it never decides against this provider.
[PolicyRow("§4 H2", "one authorization per member and period; another organization's record is the plan's to weigh")]
public sealed class AuthorizationHeldByAnotherOrganization : Rule
{
    public override void Define()
    {
        Policy p = null!;
        When()
            .Match(() => p)
            .Exists<AuthorizationHeldElsewhere>();
        Then().Do(ctx => ctx.AddReason(p, ReasonCodes.AuthorizationHeldElsewhere, new { }));
    }
}
