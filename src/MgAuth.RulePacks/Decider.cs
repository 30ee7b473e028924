using System.Collections;
using MgAuth.Domain.Decisions;
using MgAuth.Domain.Facts;
using MgAuth.Domain.Policies;
using MgAuth.Domain.Requests;
using MgAuth.Engine;
using MgAuth.Engine.Diagnostics;

namespace MgAuth.RulePacks;

public sealed record DecideOptions
{
    public static DecideOptions Default { get; } = new();

    /// <summary>Add, for every rule that did not fire, the first condition that failed.</summary>
    public bool Explain { get; init; }

    /// <summary>The member's approved authorizations (the service supplies them for §4 H1/H2).</summary>
    public IReadOnlyList<ApprovedAuthorization> History { get; init; } = [];
}

/// <summary>One request through one pack under one policy: facts in, rules fired, decision derived.</summary>
public static class Decider
{
    public static Decision Decide(RulePack pack, AuthorizationRequest request, Policy policy, DateOnly asOf, DecideOptions? options = null)
    {
        options ??= DecideOptions.Default;
        var facts = FactBuilder.Build(request, policy, asOf, options.History);
        var session = pack.TemplateFor(policy).CreateSession(new SessionOptions { Explain = options.Explain });
        session.InsertAll(facts.Facts);
        session.Fire();

        return DecisionDeriver.Derive(facts, policy, Conclude(session), pack.Reference);
    }

    // What the rules concluded, gathered in one pass over working memory.
    private static Conclusions Conclude(Session session)
    {
        var reasons = new List<Reason>();
        AuthorizationCap? cap = null;
        UrgencyEscalation? escalation = null;
        foreach (var fact in session.Facts)
        {
            switch (fact)
            {
                case Reason reason: reasons.Add(reason); break;
                case AuthorizationCap c: cap ??= c; break;
                case UrgencyEscalation e: escalation ??= e; break;
            }
        }
        var trace = new TraceEntry[session.Trace.Count];
        for (var i = 0; i < trace.Length; i++) trace[i] = ToTraceEntry(session.Trace[i]);
        return new Conclusions(reasons, cap, escalation, trace, session.Explanations?.Select(ToWhyNot).ToArray());
    }

    private static TraceEntry ToTraceEntry(FiredRule fired)
    {
        var matched = fired.Facts;
        var facts = new Dictionary<string, object?>(matched.Count);
        foreach (var fact in matched) facts[fact.Name] = Summarize(fact.Value);
        return new TraceEntry(fired.Sequence, fired.Rule.Name, facts);
    }

    private static WhyNot ToWhyNot(RuleExplanation e) =>
        new(e.Rule.Name, RulePack.PolicyRefOf(e.Rule), e.Element, e.Kind == Engine.Model.ElementKind.Having ? "Having" : $"{e.Kind} {e.FactType}",
            e.Condition, e.Reason,
            e.Values.GroupBy(v => v.Expression).ToDictionary(g => g.Key, g => Summarize(g.First().Value)));

    // The policy is one large fact; the trace names it rather than copying it into every entry.
    private static object? Summarize(object? value) => value switch
    {
        Policy p => $"policy {p.Id} {p.Version}",
        string or null => value,
        IList items => Summarize(items),
        _ => value,
    };

    private static object?[] Summarize(IList items)
    {
        var summary = new object?[items.Count];
        for (var i = 0; i < summary.Length; i++) summary[i] = Summarize(items[i]);
        return summary;
    }
}
