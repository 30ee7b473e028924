using System.Text.Json;
using MgAuth.Domain.Decisions;
using MgAuth.Domain.Facts;
using MgAuth.Domain.Policies;
using MgAuth.Domain.Requests;
using MgAuth.RulePacks;
using MgAuth.RulePacks.Isolation;

namespace MgAuth.Worker;

/// <summary>Decides each stored case again under the release; answers with outcome and reason codes only.</summary>
public static class ImpactJob
{
    public static bool Run(WorkerJob job, TextReader cases, Action<Redecision> answer)
    {
        RulePack pack;
        PolicySet policies;
        try
        {
            (pack, policies) = job.Release().Load();
        }
        catch (Exception e) when (e is RulePackException or PolicyLoadException)
        {
            Console.Error.WriteLine("the release does not compile");
            return false;
        }
        while (cases.ReadLine() is { } line)
        {
            var stored = JsonSerializer.Deserialize<StoredCase>(line, WorkerJson.Options)!;
            answer(Decide(pack, policies, stored));
        }
        return true;
    }

    private static Redecision Decide(RulePack pack, PolicySet policies, StoredCase stored)
    {
        var read = DecisionPipeline.Read(stored.RequestJson, stored.AsOf, policies, stored.PolicyId);
        if (read.Problem is not null)
            return new Redecision(stored.Id, null, [], Skipped: true);
        var history = JsonSerializer.Deserialize<PlanApproval[]>(stored.HistoryJson, MgAuthJson.Compact) ?? [];
        try
        {
            var decision = read.Decide(pack, history).Decision!;
            return new Redecision(stored.Id, $"{ContractNames.Of(decision.Outcome)}/{ContractNames.Of(decision.Status)}",
                decision.Reasons.Select(r => r.Code).Distinct().Order(StringComparer.Ordinal).ToArray());
        }
        catch (DecisionFailedException e)
        {
            return new Redecision(stored.Id, null, [], Failure: $"rule {e.Rule} failed");
        }
    }
}
