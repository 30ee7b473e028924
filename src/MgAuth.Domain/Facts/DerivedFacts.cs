using MgAuth.Domain.Policies;
using MgAuth.Domain.Requests;

namespace MgAuth.Domain.Facts;

// Facts that definition rules (§2 of the policy) derive; the policy rows match them.

/// <summary>The indication whose criteria (§5) this request is evaluated under; a crisis not substantiated adds exacerbation.</summary>
public sealed record CriteriaUnderReview(Indication Indication);

/// <summary>One way the member meets the moderate-to-severe definition.</summary>
public sealed record ModerateToSevere(string Basis);

/// <summary>One score that documents worsening.</summary>
public sealed record DocumentedWorsening(string Basis);

/// <summary>One crisis criterion the member meets.</summary>
public sealed record CrisisCriterion(string Basis);

/// <summary>A prior therapy that counts as a failed trial of a listed agent.</summary>
public sealed record FailedTrial(PriorTherapy Therapy, AgentDefinition Agent);

/// <summary>A prior therapy whose agent is on neither list: shown in the trace, not counted.</summary>
public sealed record UncountedTherapy(PriorTherapy Therapy);

/// <summary>The member meets the refractory definition, and on what basis.</summary>
public sealed record Refractory(string Basis);

/// <summary>The criteria escalate the request's urgency (a substantiated crisis).</summary>
public sealed record UrgencyEscalation(Urgency Urgency);

/// <summary>The authorization may run only through this date, covering only this many cycles.</summary>
public sealed record AuthorizationCap(DateOnly ValidThrough, int Cycles);

/// <summary>
/// Questions a rule asks of the failed trials it collected. Methods rather than lambdas in the rule: a lambda nested in
/// a condition is compiled to a delegate made again every time NRules evaluates the condition.
/// </summary>
public static class FailedTrials
{
    /// <summary>Whether any of the trials failed an agent of <paramref name="agentClass"/>.</summary>
    public static bool AnyOf(this IEnumerable<FailedTrial> failures, AgentClass agentClass)
    {
        foreach (var failure in failures)
            if (failure.Agent.Class == agentClass) return true;
        return false;
    }

    /// <summary>How many different agents of <paramref name="agentClass"/> the trials failed.</summary>
    public static int DistinctAgents(this IEnumerable<FailedTrial> failures, AgentClass agentClass)
    {
        var agents = new HashSet<string>(StringComparer.Ordinal);
        foreach (var failure in failures)
            if (failure.Agent.Class == agentClass) agents.Add(failure.Agent.Name);
        return agents.Count;
    }
}
