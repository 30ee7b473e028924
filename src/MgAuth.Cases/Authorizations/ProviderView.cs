using System.Text.Json;
using System.Text.Json.Nodes;
using MgAuth.Cases.Decisions;
using MgAuth.Cases.Security;
using MgAuth.Domain.Decisions;
using MgAuth.Domain.Facts;

namespace MgAuth.Cases.Authorizations;

/// <summary>
/// What a provider reads of a decision. Another organization's approvals weigh in the plan's decision (§4 H1/H2)
/// and the plan's staff see them in full; a provider reads that such a record bore on its request, never its
/// holder, dates or indication. A decision part that came from one is known by its type: a trace's
/// <see cref="FromAnotherOrganization"/> is withheld (<see cref="Withheld"/>, or <see cref="Message"/> for a text naming
/// it), and so is a reason's or a determination's text flagged as naming one.
/// </summary>
public static class ProviderView
{
    public const string Withheld = "withheld";

    public const string Message =
        "An approved authorization the plan holds for this member bears on this request; a reviewer weighs it. Its details are not shown to providers.";

    // The facts the member's history becomes; a why-not over them would show their dates.
    private static readonly string[] HistoryFacts = [nameof(PriorAuthorization), nameof(ApprovedAuthorization), nameof(PriorIvigCourse)];

    /// <summary>The decision as this caller may read it: in full for the plan's staff, else the provider's view.</summary>
    public static CaseDecision For(Caller caller, CaseDecision decision, bool historyOfOthers = false) =>
        Roles.SeesAllOrganizations(caller.Role) ? decision : Of(decision, historyOfOthers);

    /// <summary>
    /// The provider's view of a decision. <paramref name="historyOfOthers"/>: the case's history holds another
    /// organization's record (<see cref="HoldsAnotherOrganizations"/>), so a why-not over the history facts keeps its rule
    /// and condition but not its values.
    /// </summary>
    public static CaseDecision Of(CaseDecision decision, bool historyOfOthers = false)
    {
        if (!historyOfOthers && !Withholds(decision)) return decision;
        var d = decision.Decision;
        return decision with
        {
            Decision = d with
            {
                Reasons = d.Reasons.Select(r => r.NamesAnotherOrganization ? r with { Message = Message } : r).ToArray(),
                Trace = d.Trace.Select(t => Withholds(t) ? t with { Facts = Parts(t.Facts) } : t).ToArray(),
                Explain = historyOfOthers && d.Explain is { } explain
                    ? explain.Select(w => OverHistory(w.Pattern) ? w with { Values = new Dictionary<string, object?>() } : w).ToArray()
                    : d.Explain,
            },
            Determination = decision.Determination is { } made && Withholds(made)
                ? made with
                {
                    ReasonMessage = made.ReasonNamesAnotherOrganization ? Message : made.ReasonMessage,
                    Rationale = made.RationaleNamesAnotherOrganization ? Message : made.Rationale,
                }
                : decision.Determination,
        };
    }

    /// <summary>
    /// The provider's view of a submission's answer: the bytes as stored when nothing is to be withheld (a decision just
    /// made never has anything), else those bytes with each withheld part of <paramref name="decision"/> (what they were
    /// read into) replaced where it stands.
    /// </summary>
    public static byte[] Of(CaseDecision decision, byte[] json)
    {
        if (!Withholds(decision)) return json;
        var view = Of(decision);
        var node = JsonNode.Parse(json)!;
        for (var i = 0; i < view.Decision.Reasons.Count; i++)
            if (decision.Decision.Reasons[i].NamesAnotherOrganization) node["reasons"]![i]!["message"] = view.Decision.Reasons[i].Message;
        for (var i = 0; i < view.Decision.Trace.Count; i++)
            if (Withholds(decision.Decision.Trace[i]))
                node["trace"]![i]!["facts"] = JsonSerializer.SerializeToNode(view.Decision.Trace[i].Facts, MgAuthJson.Compact);
        if (decision.Determination is { } made && Withholds(made))
        {
            if (made.ReasonNamesAnotherOrganization) node["determination"]!["reasonMessage"] = Message;
            if (made.RationaleNamesAnotherOrganization) node["determination"]!["rationale"] = Message;
        }
        return JsonSerializer.SerializeToUtf8Bytes(node, MgAuthJson.Compact);
    }

    /// <summary>Whether a case's history (as stored with a revision) holds another organization's record.</summary>
    public static bool HoldsAnotherOrganizations(IEnumerable<PlanApproval> history) => history.OfType<ApprovalHeldElsewhere>().Any();

    private static bool Withholds(CaseDecision decision) =>
        decision.Decision.Reasons.Any(r => r.NamesAnotherOrganization) || decision.Decision.Trace.Any(Withholds)
        || decision.Determination is { } made && Withholds(made);

    private static bool Withholds(Determination made) => made.ReasonNamesAnotherOrganization || made.RationaleNamesAnotherOrganization;

    private static bool Withholds(TraceEntry entry) => entry.Facts.Values.Any(HoldsPart);

    private static bool HoldsPart(object? value) => value switch
    {
        FromAnotherOrganization => true,
        IReadOnlyDictionary<string, object?> parts => parts.Values.Any(HoldsPart),
        object?[] parts => parts.Any(HoldsPart),
        _ => false,
    };

    private static IReadOnlyDictionary<string, object?> Parts(IReadOnlyDictionary<string, object?> values) =>
        values.ToDictionary(p => p.Key, p => Part(p.Value));

    // Another organization's record is withheld whole; a text that names one is replaced.
    private static object? Part(object? value) => value switch
    {
        FromAnotherOrganization { IsRecord: true } => Withheld,
        FromAnotherOrganization => Message,
        IReadOnlyDictionary<string, object?> parts => Parts(parts),
        object?[] parts => parts.Select(Part).ToArray(),
        _ => value,
    };

    private static bool OverHistory(string? pattern) =>
        pattern is not null && HistoryFacts.Any(f => pattern.EndsWith(" " + f, StringComparison.Ordinal));
}
