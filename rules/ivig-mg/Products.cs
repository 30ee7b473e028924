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
            .Match(() => r, r => r.Product != null)
            .Not<FormularyProduct>(f => string.Equals(f.Name, r.Product, StringComparison.OrdinalIgnoreCase));
        Then().Do(ctx => ctx.AddReason(p, ReasonCodes.ProductNotOnFormulary, new { product = r.Product }));
    }
}

[PolicyRow("§4 P2", "product labels: Privigen and Hizentra contain proline; Gammaplex contains sorbitol")]
public sealed class ProductContraindicated : Rule
{
    public override void Define()
    {
        Policy p = null!;
        Regimen r = null!;
        ProductContraindicationDefinition x = null!;
        MemberCondition mc = null!;
        When()
            .Match(() => p)
            .Match(() => r, r => r.Product != null)
            .Match(() => x, x => string.Equals(x.Product, r.Product, StringComparison.OrdinalIgnoreCase))
            .Match(() => mc, mc => mc.Name == x.Condition);
        Then().Do(ctx => ctx.AddReason(p, ReasonCodes.ProductContraindicated, new { product = x.Product, condition = x.Condition }));
    }
}
