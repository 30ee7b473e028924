using System.Collections;
using MgAuth.Domain.Decisions;
using MgAuth.Domain.Facts;
using MgAuth.Domain.Policies;
using MgAuth.Domain.Requests;
using NRules;
using NRules.Diagnostics;

namespace MgAuth.RulePacks;

public sealed record DecideOptions
{
    public static DecideOptions Default { get; } = new();

    /// <summary>Add, for every rule that did not fire, the first condition that failed.</summary>
    public bool Explain { get; init; }

    /// <summary>The member's approved authorizations (the service supplies them for §4 H1/H2).</summary>
    public IReadOnlyList<PlanApproval> History { get; init; } = [];

    /// <summary>
    /// A rule set that keeps firing is an error, not a hang. The policy's rules fire a few dozen times a decision; the
    /// limit also bounds how many facts rules can derive (each insert is a firing's), so a rule's join stays small.
    /// </summary>
    public int MaxFirings { get; init; } = 1_000;
}

/// <summary>
/// A decision that could not be made: a rule's condition or action threw, or the rules did not come
/// to rest within the firing limit. The session is discarded; nothing half-made is returned. Only the
/// exception's type is kept: its message may carry the member's values (int.Parse quotes its input).
/// </summary>
public sealed class DecisionFailedException(string rule, string problem) : Exception($"Rule '{rule}' {problem}")
{
    public string Rule { get; } = rule;
}

/// <summary>One request through one pack under one policy: facts in, rules fired, decision derived.</summary>
public static class Decider
{
    /// <summary>The rules engine every decision is made with, stored beside it.</summary>
    public static readonly string EngineVersion = $"NRules {typeof(ISession).Assembly.GetName().Version}";

    public static Decision Decide(RulePack pack, AuthorizationRequest request, Policy policy, DateOnly asOf, DecideOptions? options = null)
    {
        using var invariant = InvariantCultureScope.Enter();
        options ??= DecideOptions.Default;
        var facts = FactBuilder.Build(request, policy, asOf, options.History);
        var run = new Run(pack.Sessions.CreateSession());
        run.Execute(policy, facts.Facts, options.MaxFirings);

        var conclusions = run.Conclude();
        // A reason's effect, section, text and evidence are the release's policy's, never a copy the rules were handed.
        foreach (var reason in conclusions.Reasons)
            if (!reason.IsFrom(policy))
                throw new DecisionFailedException(reason.Rule, "gave a reason not made from the release's policy");
        if (options.Explain) conclusions = conclusions with { Explain = WhyNotExplainer.Explain(pack, run.Fired, run.Session) };
        return DecisionDeriver.Derive(facts, policy, conclusions, pack.Reference);
    }

    /// <summary>Every decision on <paramref name="sessions"/> records its trace (done once, as the pack is compiled).</summary>
    internal static void AttachTrace(ISessionFactory sessions) => Run.AttachTo(sessions);

    /// <summary>One session: its trace comes from NRules' RuleFiredEvent, in firing order.</summary>
    private sealed class Run
    {
        private readonly List<TraceEntry> _trace = new(16);
        private IReadOnlyList<string> _failedConditionRules = [];

        public Run(ISession session)
        {
            Session = session;
        }

        /// <summary>
        /// Attaches the trace to every session <paramref name="sessions"/> makes, once: NRules raises a factory's events
        /// for each of its sessions with the session as sender, and the handlers find the run deciding on this thread
        /// (a session fires on its caller's thread). Once a factory rather than twice a session, which cost allocations.
        /// </summary>
        public static void AttachTo(ISessionFactory sessions)
        {
            sessions.Events.RuleFiredEvent += (sender, e) =>
            {
                if (Deciding(sender) is { } run) run._trace.Add(ToTraceEntry(run._trace.Count + 1, e));
            };
            // A condition shared by several rules fails for all of them; NRules names them here only.
            sessions.Events.LhsExpressionFailedEvent += (sender, e) =>
            {
                if (Deciding(sender) is { } run) run._failedConditionRules = e.Rules.Select(r => r.Name).ToArray();
            };
        }

        [ThreadStatic] private static Run? t_deciding;

        private static Run? Deciding(object? session) => t_deciding is { } run && ReferenceEquals(run.Session, session) ? run : null;

        public ISession Session { get; }
        public IEnumerable<string> Fired => _trace.Select(t => t.Rule);

        public void Execute(Policy policy, IReadOnlyList<object> requestFacts, int maxFirings)
        {
            t_deciding = this;
            try
            {
                // In one batch: each fact type's nodes see the request's facts once, not once a fact (NRules propagates an
                // insert through every type node); rules of equal priority still fire in the order their activations arise.
                Session.InsertAll(requestFacts.Prepend(policy));
                Session.Fire(maxFirings);
            }
            catch (RuleRhsExpressionEvaluationException e)
            {
                throw new DecisionFailedException(e.RuleName, $"failed in its action ({Cause(e)})");
            }
            catch (AgendaExpressionEvaluationException e)
            {
                throw new DecisionFailedException(e.RuleName, $"failed in its agenda filter ({Cause(e)})");
            }
            catch (RuleLhsExpressionEvaluationException e)
            {
                throw new DecisionFailedException(string.Join("', '", _failedConditionRules), $"failed in a condition, {e.Expression} ({Cause(e)})");
            }
            finally
            {
                t_deciding = null;
            }
            if (!Session.Agenda.IsEmpty)
                throw new DecisionFailedException(Session.Agenda.Peek().Rule.Name,
                    $"was about to fire after {maxFirings} firings: the rules do not come to rest");
        }

        // What the rules concluded, gathered in one pass over working memory (in insertion order).
        public Conclusions Conclude()
        {
            var reasons = new List<Reason>();
            AuthorizationCap? cap = null;
            UrgencyEscalation? escalation = null;
            foreach (var fact in Session.Query<object>())
            {
                switch (fact)
                {
                    case Reason reason: reasons.Add(reason); break;
                    case AuthorizationCap c: cap ??= c; break;
                    case UrgencyEscalation e: escalation ??= e; break;
                }
            }
            return new Conclusions(reasons, cap, escalation, _trace, null);
        }

        private static string Cause(Exception e) => (e.InnerException ?? e).GetType().Name;
    }

    private static TraceEntry ToTraceEntry(int sequence, AgendaEventArgs fired)
    {
        var facts = new Dictionary<string, object?>();
        foreach (var fact in fired.Facts)
            if (TraceNames.IsAuthored(fact.Declaration.Name)) facts[fact.Declaration.Name] = Summarize(fact.Value);
        return new TraceEntry(sequence, fired.Rule.Name, facts);
    }

    // The policy is one large fact; the trace names it rather than copying it into every entry.
    internal static object? Summarize(object? value) => value switch
    {
        Policy p => $"policy {p.Id} {p.Version}",
        string or null => value,
        IEnumerable items => items.Cast<object?>().Select(Summarize).ToArray(),
        _ => value,
    };
}

/// <summary>NRules names a pattern the author left unnamed with a generated name; only authored names are shown.</summary>
internal static class TraceNames
{
    public static bool IsAuthored(string declaration) => !declaration.StartsWith('$');
}
