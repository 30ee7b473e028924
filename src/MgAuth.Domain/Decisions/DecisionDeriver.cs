using MgAuth.Domain.Facts;
using MgAuth.Domain.Policies;
using MgAuth.Domain.Requests;

namespace MgAuth.Domain.Decisions;

/// <summary>What the rules concluded, gathered from the session after firing.</summary>
public sealed record Conclusions(
    IReadOnlyList<Reason> Reasons,
    AuthorizationCap? Cap,
    UrgencyEscalation? Escalation,
    IReadOnlyList<TraceEntry> Trace,
    IReadOnlyList<WhyNot>? Explain);

/// <summary>§1 of the policy: the decision follows from the reasons; no rule sets it.</summary>
public static class DecisionDeriver
{
    public static Decision Derive(RequestFacts facts, Policy policy, Conclusions conclusions, RulePackRef pack)
    {
        var reasons = InPolicyOrder(conclusions.Reasons, policy);
        var (outcome, denialKind, status) = Derived(reasons, policy);

        var regimen = facts.Regimen;
        var authorized = outcome == Outcome.Approve ? Authorize(regimen, facts.Request, policy, conclusions.Cap) : null;
        var x12 = ReviewAction.Of(status, lessThanAsked: conclusions.Cap is not null);

        var dw = facts.Member.DosingWeight;
        return new Decision
        {
            Outcome = outcome,
            Status = status,
            DenialKind = denialKind,
            X12ReviewAction = x12,
            Urgency = conclusions.Escalation?.Urgency ?? facts.Request.Urgency,
            AsOf = facts.Request.AsOf,
            Indication = facts.Request.Indication,
            DosingWeight = new DosingWeightView(dw.Kg, dw.Method, dw.IdealKg, dw.ActualKg),
            Requested = new RequestedRegimen(regimen.CourseGrams, regimen.GramsPerKgPerCourse, regimen.Cycles, regimen.PeriodStart, regimen.PeriodEnd),
            Authorized = authorized,
            Reasons = InReadingOrder(reasons),
            MissingDocumentation = MissingDocumentation(reasons),
            ApprovableAlternative = Alternative(outcome, reasons),
            RulePack = pack,
            Policy = new PolicyRef(policy.Id, policy.Version, policy.Sha256),
            Trace = conclusions.Trace,
            Explain = conclusions.Explain,
        };
    }

    /// <summary>The name the contract's validation goes by in a reason and the trace: no rule of a pack, the request's own reading.</summary>
    public const string ContractRule = "contract.requiredFields";

    /// <summary>
    /// §1 for a request missing facts the contract requires (<see cref="IncompleteRequest"/>): no rule can run on facts
    /// that are not there, so the one reason is the policy's own DOCUMENTATION_MISSING naming the fields left out (its
    /// missing documentation, and the trace), and the decision follows from it as every decision follows from its reasons.
    /// </summary>
    public static Decision Incomplete(IncompleteRequest request, Policy policy, DateOnly asOf, RulePackRef pack)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(policy);
        var text = policy.ReasonText(ReasonCodes.DocumentationMissing);
        var missing = request.Missing.ToArray();
        Reason[] reasons =
        [
            new(text.Code, text.Effect, text.DenialKind, text.Message.Render([("missing", string.Join(", ", missing))]), text.PolicyRef,
                text.Evidence, ContractRule) { Text = text, MissingDocumentation = missing },
        ];
        var (outcome, denialKind, status) = Derived(reasons, policy);
        return new Decision
        {
            Outcome = outcome,
            Status = status,
            DenialKind = denialKind,
            X12ReviewAction = ReviewAction.Of(status, lessThanAsked: false),
            Urgency = request.Urgency,
            AsOf = asOf,
            Reasons = InReadingOrder(reasons),
            MissingDocumentation = MissingDocumentation(reasons),
            RulePack = pack,
            Policy = new PolicyRef(policy.Id, policy.Version, policy.Sha256),
            Trace = [new TraceEntry(1, ContractRule, new Dictionary<string, object?> { ["missing"] = missing })],
        };
    }

    // The outcome from the reasons (a deny wins, then review), the kind of a denial, and the case's status.
    private static (Outcome Outcome, DenialKind? DenialKind, CaseStatus Status) Derived(IReadOnlyList<Reason> reasons, Policy policy)
    {
        var outcome = Outcome.Approve;
        var administrative = false;
        foreach (var r in reasons)
        {
            if (r.Effect == ReasonEffect.Deny)
            {
                outcome = Outcome.Deny;
                administrative |= r.DenialKind == DenialKind.Administrative;
            }
            else if (r.Effect == ReasonEffect.Review && outcome == Outcome.Approve) outcome = Outcome.Review;
        }

        DenialKind? denialKind = outcome != Outcome.Deny ? null
            : administrative ? DenialKind.Administrative
            : DenialKind.MedicalNecessity;

        var status = outcome switch
        {
            Outcome.Approve => CaseStatus.Approved,
            Outcome.Review => CaseStatus.Pended,
            // No algorithm may be the sole basis of a medical-necessity denial: a clinician signs it.
            _ when denialKind == DenialKind.MedicalNecessity && policy.ClinicianSignoffForDenials => CaseStatus.Pended,
            _ => CaseStatus.Denied,
        };
        return (outcome, denialKind, status);
    }

    // The order two rules of equal priority fire in is the engine's business, so the decision does
    // not follow it: reasons (and the documentation they ask for) stand in the order the policy lists
    // them; reasons of one code by rule name, then as they were concluded.
    private static Reason[] InPolicyOrder(IReadOnlyList<Reason> reasons, Policy policy)
    {
        var ordered = new Reason[reasons.Count];
        for (var i = 0; i < ordered.Length; i++)
        {
            var r = reasons[i];
            var at = i;
            while (at > 0 && Compare(ordered[at - 1], r, policy) > 0) ordered[at] = ordered[--at];
            ordered[at] = r;
        }
        return ordered;
    }

    private static int Compare(Reason x, Reason y, Policy policy)
    {
        var byPolicy = policy.ReasonText(x.Code).Order.CompareTo(policy.ReasonText(y.Code).Order);
        return byPolicy != 0 ? byPolicy : string.CompareOrdinal(x.Rule, y.Rule);
    }

    // Readers see what decides the case first: denials, then what needs review, advisories, criteria met;
    // within each, the policy's order.
    private static readonly ReasonEffect[] ReadingOrder = [ReasonEffect.Deny, ReasonEffect.Review, ReasonEffect.Advisory];

    private static ReasonView[] InReadingOrder(IReadOnlyList<Reason> reasons)
    {
        var views = new ReasonView[reasons.Count];
        var next = 0;
        foreach (var effect in ReadingOrder)
            foreach (var r in reasons)
                if (r.Effect == effect) views[next++] = View(r);
        foreach (var r in reasons)
            if (Array.IndexOf(ReadingOrder, r.Effect) < 0) views[next++] = View(r);
        return views;
    }

    private static ReasonView View(Reason r) => new(r.Code, r.Effect, r.Message, r.PolicyRef, r.Evidence, r.Rule)
    {
        MissingDocumentation = r.MissingDocumentation.Count > 0 ? r.MissingDocumentation : null,
    };

    private static string[] MissingDocumentation(IReadOnlyList<Reason> reasons)
    {
        List<string>? missing = null;
        foreach (var r in reasons)
            foreach (var field in r.MissingDocumentation)
                if (!(missing ??= []).Contains(field)) missing.Add(field);
        return missing is null ? [] : [.. missing];
    }

    private static AuthorizedRegimen Authorize(Regimen regimen, Request request, Policy policy, AuthorizationCap? cap)
    {
        // Acute indications (§5.1–5.4) are authorized for one course over the acute period.
        var acute = request.Indication != Indication.RefractoryMaintenance;
        var cycles = acute ? 1 : regimen.Cycles;
        var through = acute ? regimen.StartDate.AddDays(policy.AcuteAuthorizationDays - 1) : regimen.PeriodEnd;
        // A cap (from the rules: untrusted) only ever shortens what was asked, never lengthens it.
        if (cap is not null)
            (cycles, through) = (Math.Clamp(cap.Cycles, 1, cycles), cap.ValidThrough < through ? cap.ValidThrough : through);
        return new AuthorizedRegimen(regimen.CourseGrams, cycles, regimen.CourseGrams * cycles, regimen.PeriodStart, through);
    }

    // An alternative is offered only when every deny reason names one; the strictest wins.
    private static ApprovableAlternative? Alternative(Outcome outcome, IReadOnlyList<Reason> reasons)
    {
        if (outcome != Outcome.Deny) return null;
        var denials = reasons.Where(r => r.Effect == ReasonEffect.Deny).ToArray();
        return denials.All(r => r.ApprovableCourseGrams is not null)
            ? new ApprovableAlternative(denials.Min(r => r.ApprovableCourseGrams!.Value))
            : null;
    }
}
