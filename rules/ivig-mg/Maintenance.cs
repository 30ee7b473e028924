namespace MgAuth.Rules.IvigMg;

// §5.5 Maintenance in refractory MG.

[PolicyRow("§5.5", "2016 consensus: maintenance IVIG can be considered in refractory MG")]
public sealed class RefractoryMaintenanceMet : Rule
{
    public override void Define()
    {
        Policy p = null!;
        IEnumerable<Refractory> bases = null!;
        When()
            .Match(() => p)
            .Match<CriteriaUnderReview>(k => k.Indication == Indication.RefractoryMaintenance)
            .Match<Request>(q => !q.Continuation)
            .Query(() => bases, q => q.Match<Refractory>().Collect().Where(x => x.Any()));
        Then().Do(ctx => ctx.AddReason(p, ReasonCodes.IndicationRefractoryMaintenanceMet, new
        {
            basis = string.Join("; ", bases.Select(b => b.Basis)),
        }));
    }
}

[PolicyRow("§5.5", "2016 consensus: refractory means unchanged or worse after corticosteroids and at least two other immunosuppressants")]
public sealed class RefractoryCriteriaNotMet : Rule
{
    public override void Define()
    {
        Policy p = null!;
        IEnumerable<FailedTrial> failures = null!;
        IEnumerable<UncountedTherapy> uncounted = null!;
        When()
            .Match(() => p)
            .Match<CriteriaUnderReview>(k => k.Indication == Indication.RefractoryMaintenance)
            .Match<Request>(q => !q.Continuation)
            .Not<Refractory>()
            .Query(() => failures, q => q.Match<FailedTrial>().Collect())
            .Query(() => uncounted, q => q.Match<UncountedTherapy>().Collect());
        Then().Do(ctx => ctx.AddReason(p, ReasonCodes.RefractoryCriteriaNotMet, new
        {
            corticosteroidFailed = failures.AnyOf(AgentClass.Corticosteroid),
            sparingFailed = failures.DistinctAgents(AgentClass.SteroidSparing),
            sparingNeeded = p.Maintenance.MinSteroidSparingFailures,
            notCounted = !uncounted.Any() ? "none" : string.Join(", ", uncounted.Select(u => u.Therapy.Agent)),
        }));
    }
}

[PolicyRow("§5.5", "continued IVIG needs a documented response to the last courses")]
public sealed class ContinuationResponseDocumented : Rule
{
    public override void Define()
    {
        Policy p = null!;
        PriorIvigResponse x = null!;
        When()
            .Match(() => p)
            .Match<CriteriaUnderReview>(k => k.Indication == Indication.RefractoryMaintenance)
            .Match<Request>(q => q.Continuation)
            .Match(() => x, x => x.MgAdlDecrease >= p.Maintenance.ResponseMinMgAdlDecrease
                || x.QmgDecrease >= p.Maintenance.ResponseMinQmgDecrease);
        Then().Do(ctx => ctx.AddReason(p, ReasonCodes.ContinuationResponseDocumented, new
        {
            mgAdlDecrease = x.MgAdlDecrease,
            qmgDecrease = x.QmgDecrease,
        }));
    }
}

[PolicyRow("§5.5", "without a response, continued IVIG is not medically necessary (2025 medical-necessity review of maintenance IVIG)")]
public sealed class NoDocumentedResponse : Rule
{
    public override void Define()
    {
        Policy p = null!;
        PriorIvigResponse x = null!;
        When()
            .Match(() => p)
            .Match<CriteriaUnderReview>(k => k.Indication == Indication.RefractoryMaintenance)
            .Match<Request>(q => q.Continuation)
            .Match(() => x, x => x.HasUsablePair,
                x => !(x.MgAdlDecrease >= p.Maintenance.ResponseMinMgAdlDecrease || x.QmgDecrease >= p.Maintenance.ResponseMinQmgDecrease));
        Then().Do(ctx => ctx.AddReason(p, ReasonCodes.NoDocumentedResponse, new
        {
            mgAdlDecrease = x.MgAdlDecrease,
            qmgDecrease = x.QmgDecrease,
            minMgAdl = p.Maintenance.ResponseMinMgAdlDecrease,
            minQmg = p.Maintenance.ResponseMinQmgDecrease,
        }));
    }
}

[PolicyRow("§5.5", "the response is documentation the provider can send")]
public sealed class ContinuationResponseMissing : Rule
{
    public override void Define()
    {
        Policy p = null!;
        When()
            .Match(() => p)
            .Match<CriteriaUnderReview>(k => k.Indication == Indication.RefractoryMaintenance)
            .Match<Request>(q => q.Continuation)
            .Not<PriorIvigResponse>(x => x.HasUsablePair);
        Then().Do(ctx => ctx.AddMissingDocumentation(p, new { }, "priorIvigResponse"));
    }
}

[PolicyRow("§5.5", "published maintenance regimens (policy §5.5 ceiling)")]
public sealed class DoseWithinMaintenanceCeiling : Rule
{
    public override void Define()
    {
        Policy p = null!;
        DoseLimits l = null!;
        When()
            .Match(() => p)
            .Match<CriteriaUnderReview>(k => k.Indication == Indication.RefractoryMaintenance)
            .Match(() => l, l => l.MaintenanceIntensity <= p.Maintenance.CeilingGramsPerKg);
        Then().Do(ctx => ctx.AddReason(p, ReasonCodes.DoseWithinMaintenanceCeiling, new
        {
            intensity = l.MaintenanceIntensity,
            ceiling = p.Maintenance.CeilingGramsPerKg,
            days = p.Maintenance.CeilingPeriodDays,
        }));
    }
}

[PolicyRow("§5.5", "published maintenance regimens (policy §5.5 ceiling)")]
public sealed class DoseAboveMaintenanceCeiling : Rule
{
    public override void Define()
    {
        Policy p = null!;
        DoseLimits l = null!;
        When()
            .Match(() => p)
            .Match<CriteriaUnderReview>(k => k.Indication == Indication.RefractoryMaintenance)
            .Match(() => l, l => l.MaintenanceIntensity > p.Maintenance.CeilingGramsPerKg);
        Then().Do(ctx => ctx.AddReason(p, ReasonCodes.DoseAboveMaintenanceCeiling, new
        {
            intensity = l.MaintenanceIntensity,
            ceiling = p.Maintenance.CeilingGramsPerKg,
            days = p.Maintenance.CeilingPeriodDays,
        }));
    }
}

[PolicyRow("§5.5", "maintenance is re-authorized periodically on documented response")]
public sealed class AuthorizationPeriodCapped : Rule
{
    public override void Define()
    {
        Policy p = null!;
        Regimen r = null!;
        When()
            .Match(() => p, p => p.Maintenance.ChronicMaintenanceCovered)
            .Match<CriteriaUnderReview>(k => k.Indication == Indication.RefractoryMaintenance)
            .Match(() => r, r => r.PeriodDays > p.Maintenance.AuthorizationCapDays);
        Then()
            .Do(ctx => ctx.AddReason(p, ReasonCodes.AuthorizationPeriodCapped, new
            {
                requestedDays = r.PeriodDays,
                capDays = p.Maintenance.AuthorizationCapDays,
                through = r.StartDate.AddDays(p.Maintenance.AuthorizationCapDays - 1),
                cycles = r.CyclesStartingBy(r.StartDate.AddDays(p.Maintenance.AuthorizationCapDays - 1)),
            }))
            .Do(ctx => ctx.Insert(new AuthorizationCap(
                r.StartDate.AddDays(p.Maintenance.AuthorizationCapDays - 1),
                r.CyclesStartingBy(r.StartDate.AddDays(p.Maintenance.AuthorizationCapDays - 1)))));
    }
}

[PolicyRow("§5.5", "2025 medical-necessity review of maintenance IVIG: chronic maintenance IVIG is not medically necessary; short-term therapy is the covered use")]
public sealed class ChronicMaintenanceNotCovered : Rule
{
    public override void Define()
    {
        Policy p = null!;
        Regimen r = null!;
        When()
            .Match(() => p, p => !p.Maintenance.ChronicMaintenanceCovered)
            .Match<CriteriaUnderReview>(k => k.Indication == Indication.RefractoryMaintenance)
            .Match(() => r, r => r.PeriodDays > p.Maintenance.ShortTermMaxDays);
        Then().Do(ctx => ctx.AddReason(p, ReasonCodes.ChronicMaintenanceNotCovered, new
        {
            requestedDays = r.PeriodDays,
            maxDays = p.Maintenance.ShortTermMaxDays,
        }));
    }
}
