namespace MgAuth.Rules.IvigMg;

// §4 Products: the formulary and the products a member's condition rules out.

[PolicyRow("§4 P1", "the plan's IVIG formulary")]
public sealed class ProductNotOnFormulary : Rule
{
    public override void Define()
    {
        Policy p = null!;
        Regimen r = null!;
        When()
            .Match(() => p)
            .Match(() => r, r => r.Product != null, r => !p.OnFormulary(r.Product!));
        Then().Do(ctx => ctx.AddReason(p, ReasonCodes.ProductNotOnFormulary, new { product = r.Product }));
    }
}

[PolicyRow("§4 P2", "product labels: Privigen and Hizentra contain proline; Gammaplex contains sorbitol")]
public sealed class ProductContraindicated : Rule
{
    public override void Define()
    {
        Policy p = null!;
        MemberCondition mc = null!;
        Regimen r = null!;
        When()
            .Match(() => p)
            .Match(() => mc)
            .Match(() => r, r => r.Product != null, r => p.Contraindication(r.Product!, mc.Name) != null);
        Then().Do(ctx => ctx.AddReason(p, ReasonCodes.ProductContraindicated, new
        {
            product = p.Contraindication(r.Product!, mc.Name)!.Product,
            condition = mc.Name,
        }));
    }
}
