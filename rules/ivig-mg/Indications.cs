namespace MgAuth.Rules.IvigMg;

// §5 (introduction): the acute indications authorize one course.

[PolicyRow("§5", "the acute indications authorize single courses; repeats are reviewed")]
public sealed class RepeatCoursesRequested : Rule
{
    public override void Define()
    {
        Policy p = null!;
        Request q = null!;
        Regimen r = null!;
        When()
            .Match(() => p)
            .Match(() => q, q => q.Indication != Indication.RefractoryMaintenance)
            .Match(() => r, r => r.Cycles > 1);
        Then().Do(ctx => ctx.AddReason(p, ReasonCodes.RepeatCoursesRequested, new { cycles = r.Cycles, indication = q.Indication }));
    }
}
