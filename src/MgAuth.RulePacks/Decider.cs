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

        var conclusions = new Conclusions(
            session.Query<Reason>().ToArray(),
            session.Query<AuthorizationCap>().FirstOrDefault(),
            session.Query<UrgencyEscalation>().FirstOrDefault(),
            session.Trace.Select(ToTraceEntry).ToArray(),
            session.Explanations?.Select(ToWhyNot).ToArray());
        return DecisionDeriver.Derive(facts, policy, conclusions, pack.Reference);
    }

    private static TraceEntry ToTraceEntry(FiredRule fired) =>
        new(fired.Sequence, fired.Rule.Name, fired.Facts.ToDictionary(f => f.Name, f => Summarize(f.Value)));

    private static WhyNot ToWhyNot(RuleExplanation e) =>
        new(e.Rule.Name, RulePack.PolicyRefOf(e.Rule), e.Element, e.Kind == Engine.Model.ElementKind.Having ? "Having" : $"{e.Kind} {e.FactType}",
            e.Condition, e.Reason,
            e.Values.GroupBy(v => v.Expression).ToDictionary(g => g.Key, g => Summarize(g.First().Value)));

    // The policy is one large fact; the trace names it rather than copying it into every entry.
    private static object? Summarize(object? value) => value switch
    {
        Policy p => $"policy {p.Id} {p.Version}",
        string or null => value,
        IEnumerable items and not IDictionary => items.Cast<object?>().Select(Summarize).ToArray(),
        _ => value,
    };
}
