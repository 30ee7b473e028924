using MgAuth.Api.Infrastructure;
using MgAuth.Api.Security;
using MgAuth.Cases;
using MgAuth.Cases.Releases;
using MgAuth.Domain.Decisions;
using MgAuth.Domain.Policies;
using MgAuth.Domain.Requests;
using MgAuth.Domain.Rules;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MgAuth.Api.Policies;

internal sealed record PolicySummary(string Id, string Version, string Title, string Sha256, RulePackRef RulePack, bool IsDefault);

internal sealed record CriterionView(string Code, ReasonEffect Effect, DenialKind? DenialKind, string PolicyRef, string Evidence, string Message);

internal sealed record RuleView(string Name, string? PolicyRef, string? Evidence, int Priority);

/// <summary>A policy as a provider reads it: its parameters, every criterion with its evidence, and the rules that apply them.</summary>
internal sealed record PolicyView(PolicySummary Policy, Policy Parameters, IReadOnlyList<CriterionView> Criteria, IReadOnlyList<RuleView> Rules);

/// <summary>The plan's criteria, available to anyone with a key (CMS requires a plan to publish them).</summary>
internal static class PoliciesApi
{
    public static IEndpointRouteBuilder MapPolicies(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/policies").WithTags("Policies").RequireAuthorization(Access.AnyRole);
        group.MapGet("/", List).WithSummary("The active policies and the rule pack version they run on");
        group.MapGet("/{id}", Get).WithSummary("One policy's criteria, parameters and evidence");
        return routes;
    }

    private static Ok<PolicySummary[]> List(ActiveRules rules)
    {
        var current = rules.Current;
        return TypedResults.Ok(current.Policies.All.Values.OrderBy(p => p.Id, StringComparer.Ordinal)
            .Select(p => Summary(p, current)).ToArray());
    }

    private static Results<Ok<PolicyView>, JsonHttpResult<ProblemDocument>> Get(string id, ActiveRules rules)
    {
        var current = rules.Current;
        if (!current.Policies.All.TryGetValue(id, out var policy)) return Problems.For(Refusal.NotFound("policy"));
        var criteria = policy.Reasons.Values
            .Select(r => new CriterionView(r.Code, r.Effect, r.DenialKind, r.PolicyRef, r.Evidence, r.Message.Text))
            .ToArray();
        var ruleViews = current.Pack.Rules
            .Select(d => new RuleView(d.Name, d.PolicyRef, d.Evidence, d.Priority))
            .ToArray();
        return TypedResults.Ok(new PolicyView(Summary(policy, current), policy with { Source = "" }, criteria, ruleViews));
    }

    private static PolicySummary Summary(Policy p, RuleSet rules) =>
        new(p.Id, p.Version, p.Title, p.Sha256, rules.Pack.Reference, p.Id == rules.Policies.DefaultId);
}
