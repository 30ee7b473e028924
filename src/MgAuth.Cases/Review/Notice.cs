using System.Globalization;
using MgAuth.Cases.Decisions;
using MgAuth.Domain.Decisions;
using MgAuth.Domain.Policies;
using MgAuth.Domain.Requests;

namespace MgAuth.Cases.Review;

/// <summary>One reason of a notice: the finding in plain words, the policy criterion it rests on, and that criterion's evidence.</summary>
public sealed record NoticeReason(string Code, string Statement, string Criterion, string Evidence);

public sealed record NoticeRequested(string? Product, decimal CourseGrams, decimal GramsPerKgPerCourse, int Cycles, DateOnly PeriodStart, DateOnly PeriodEnd);

public sealed record NoticeAuthorization(string? Product, decimal CourseGrams, int Cycles, decimal TotalGrams, DateOnly ValidFrom,
    DateOnly ValidThrough, int Days);

/// <summary>Who made the decision: a person (with name, role, NPI and their explanation) or the plan's rules alone.</summary>
public sealed record NoticeDecider(bool WasHumanReviewed, string? Role, string? Npi, string? Rationale, string Statement)
{
    /// <summary>The name of the person who signed the decision; null for the plan's rules.</summary>
    public string? Name { get; init; }
}

public sealed record NoticeAppeal(int WithinDays, DateOnly AppealBy, string HowToAppeal, string Expedited);

/// <summary>
/// The written notice of a final decision, for the provider and the member: what was decided and why,
/// reason by reason with the criterion and evidence, what is authorized and for how long, and — for a
/// denial or a modified approval — how to appeal and that the criteria are available on request.
/// </summary>
public sealed record Notice(
    string AuthorizationId,
    string Outcome,
    string Headline,
    string Summary,
    DateTimeOffset DecidedAt,
    string MemberId,
    string? ProviderNpi,
    string Service,
    NoticeRequested Requested,
    NoticeAuthorization? Authorized,
    IReadOnlyList<NoticeReason> Reasons,
    string? ApprovableAlternative,
    NoticeDecider DecidedBy,
    NoticeAppeal? Appeal,
    string CriteriaAvailable,
    string PolicyId,
    string PolicyVersion,
    string X12ReviewAction,
    string? AppealOf)
{
    /// <summary>The notice of a final decision (<paramref name="stored"/> as the case stands, determinations laid over).</summary>
    public static Notice Of(CaseDecision stored, AuthorizationRequest request, Policy? policy, DateTimeOffset decidedAt, int appealWithinDays)
    {
        var (decision, determination) = (stored.Decision, stored.Determination);
        // Only a complete request is decided finally (an incomplete one takes nothing but a request for information).
        var requested = decision.Requested ?? throw new InvalidOperationException("a notice is written of a complete request's decision");
        var approved = decision.Status == CaseStatus.Approved;
        var modified = determination?.Action == DeterminationAction.ApproveModified;
        var product = request.Regimen.Product;
        var what = $"intravenous immune globulin (IVIG{(product is null ? "" : ", " + product)}) for myasthenia gravis ({Words(ContractNames.Of(request.Indication))})";
        // What the notice tells: the case's status by its one name, an approval with changes marked as such.
        var outcome = ContractNames.Of(decision.Status) + (approved && modified ? "_modified" : "");
        var headline = approved ? modified ? "Approved with changes" : "Approved" : "Denied";
        var authorized = decision.Authorized is { } a
            ? new NoticeAuthorization(product, a.CourseGrams, a.Cycles, a.TotalGrams, a.ValidFrom, a.ValidThrough,
                a.ValidThrough.DayNumber - a.ValidFrom.DayNumber + 1)
            : null;
        var summary = authorized is not null
            ? $"The request for {what} for member {request.Member.Id} is {(modified ? "approved with changes" : "approved")}: " +
              $"{G(authorized.CourseGrams)} g per course, {Count(authorized.Cycles, "course")} ({G(authorized.TotalGrams)} g in all), " +
              $"from {authorized.ValidFrom:yyyy-MM-dd} through {authorized.ValidThrough:yyyy-MM-dd} ({authorized.Days} days)."
            : $"The request for {what} for member {request.Member.Id} ({G(requested.CourseGrams)} g per course) is denied.";
        var adverse = !approved || modified;
        var criteria = $"The criteria this decision used — {policy?.Title ?? "the plan's IVIG policy"} ({decision.Policy.Id}, version {decision.Policy.Version})" +
            " — and the documents it relied on are available to the provider and the member free of charge on request.";
        return new Notice(stored.AuthorizationId, outcome, headline, summary, decidedAt, request.Member.Id, request.Provider?.Npi, what,
            new NoticeRequested(product, requested.CourseGrams, requested.GramsPerKgPerCourse, requested.Cycles,
                requested.PeriodStart, requested.PeriodEnd),
            authorized, ReasonsOf(decision, determination, request),
            !approved && decision.ApprovableAlternative is { } alt
                ? $"The plan's criteria would allow a course of up to {G(alt.CourseGrams)} g; a new request within that can be approved."
                : null,
            Decider(decision, determination),
            adverse ? HowToAppeal(stored.AuthorizationId, decidedAt, appealWithinDays) : null,
            criteria, decision.Policy.Id, decision.Policy.Version, decision.X12ReviewAction, stored.AppealOf);
    }

    private static IReadOnlyList<NoticeReason> ReasonsOf(Decision decision, Determination? determination, AuthorizationRequest request)
    {
        var reasons = new List<NoticeReason>();
        if (determination is { } d)
        {
            if (d.Action == DeterminationAction.ApproveModified && d.ModifiedRegimen is { } m)
                reasons.Add(new NoticeReason("MODIFIED_REGIMEN",
                    $"A clinician authorized {G(m.GramsPerDay)} g a day for {Count(m.InfusionDays, "day")} ({G(m.GramsPerDay * m.InfusionDays)} g per course) " +
                    $"instead of the {G(request.Regimen.GramsPerDay)} g a day for {Count(request.Regimen.InfusionDays, "day")} requested.",
                    d.PolicyRef ?? "", d.Evidence ?? ""));
            if (d.ReasonCode is not null)
                reasons.Add(new NoticeReason(d.ReasonCode, d.ReasonMessage ?? d.Rationale, d.PolicyRef ?? "", d.Evidence ?? ""));
        }
        // A denial states what it rests on; an approval, the criteria it found met.
        var effect = decision.Status == CaseStatus.Denied ? ReasonEffect.Deny : ReasonEffect.Met;
        if (decision.Status == CaseStatus.Denied && determination is not null) return reasons;
        reasons.AddRange(decision.Reasons.Where(r => r.Effect == effect && reasons.All(x => x.Code != r.Code))
            .Select(r => new NoticeReason(r.Code, r.Message, r.PolicyRef, r.Evidence)));
        return reasons;
    }

    private static NoticeDecider Decider(Decision decision, Determination? determination)
    {
        if (determination is { } d)
        {
            var who = d.Reviewer.Role == "clinician" ? "a clinician" : "a plan reviewer";
            var npi = d.Reviewer.Npi is null ? "" : $" (NPI {d.Reviewer.Npi})";
            var name = d.Reviewer.Person?.Name;
            return new NoticeDecider(true, d.Reviewer.Role, d.Reviewer.Npi, d.Rationale,
                $"This decision was made by {who}{(name is null ? "" : ", " + name)}{npi} on {d.DeterminedAt:yyyy-MM-dd}, after reviewing the request and the plan's criteria.")
            {
                Name = name,
            };
        }
        return new NoticeDecider(false, null, null, null, decision.Status == CaseStatus.Approved
            ? "This approval was made by the plan's rules, which found every criterion met; no denial is made without a clinician."
            : "This is an administrative denial: the policy does not apply to this request. It was made by the plan's rules, not on medical necessity.");
    }

    private static NoticeAppeal HowToAppeal(string id, DateTimeOffset decidedAt, int withinDays)
    {
        var by = DateOnly.FromDateTime(decidedAt.UtcDateTime).AddDays(withinDays);
        return new NoticeAppeal(withinDays, by,
            $"The provider may appeal this decision on the member's behalf, or the member may ask the provider to, within {withinDays} days " +
            $"(by {by:yyyy-MM-dd}). File the appeal through the plan's prior-authorization portal quoting authorization {id}, " +
            "with any documentation the decision lacked. A clinician who took no part in this decision reviews the appeal.",
            "If waiting could seriously jeopardize the member's life, health or ability to regain maximum function, ask for an expedited " +
            "appeal: it is decided within 72 hours.");
    }

    private static string Words(string contractName) => contractName.Replace('_', ' ');

    private static string G(decimal grams) => grams.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Count(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";
}
