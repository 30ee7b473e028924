using System.Text.Json;
using MgAuth.Domain.Facts;
using MgAuth.Domain.Requests;

namespace MgAuth.RulePacks.Tests.Golden;

/// <summary>
/// decisions.jsonl records what the rules decide today: 2,000 generated requests under each policy and every
/// pack case. Any engine that replaces today's must decide every one of them the same. When a decision is
/// meant to change, rewrite the file and review its diff:
/// <c>MGAUTH_WRITE_GOLDEN=1 dotnet test tests/MgAuth.RulePacks.Tests -c Release --filter Golden</c>.
/// </summary>
public class GoldenDecisionTests
{
    public const int Seed = 20261201;
    public const int RequestsPerPolicy = 2000;
    private static readonly string[] PolicyIds = ["ivig-mg-standard", "ivig-mg-restrictive"];
    private const int ElsewhereRequests = 50;

    private static readonly PlanApproval ElsewhereApproval = new ApprovalHeldElsewhere(Indication.Exacerbation,
        RequestGenerator.AsOf.AddDays(-20), RequestGenerator.AsOf.AddDays(9));

    private static string GoldenFile => Path.Combine(Repository.Root, "tests", "MgAuth.RulePacks.Tests", "Golden", "decisions.jsonl");

    // Decided once for the class; every test reads the same lines.
    private static readonly Lazy<IReadOnlyList<GoldenLine>> Current = new(DecideAll);

    [GoldenFact]
    public void Every_decision_equals_the_golden_file()
    {
        var golden = File.ReadAllLines(GoldenFile).ToDictionary(IdOf);
        var current = Current.Value.ToDictionary(line => line.Id, line => line.Text);

        var differing = golden.Keys.Union(current.Keys).Where(id => golden.GetValueOrDefault(id) != current.GetValueOrDefault(id)).ToArray();

        Assert.True(differing.Length == 0, $"{differing.Length} of {golden.Count} decisions differ from {GoldenFile}; the first:"
            + string.Concat(differing.Take(5).Select(id =>
                $"\n{id}\n  golden:  {golden.GetValueOrDefault(id) ?? "(none)"}\n  current: {current.GetValueOrDefault(id) ?? "(none)"}")));
    }

    [Fact]
    public void The_generated_requests_reach_every_reason_code_of_the_policies()
    {
        var reached = Current.Value.Where(line => line.Id.StartsWith("gen:", StringComparison.Ordinal)).SelectMany(line => line.Reasons).ToHashSet();
        var codes = PolicyIds.SelectMany(id => Repository.Policies.Find(id)!.Reasons.Keys).ToHashSet();

        Assert.Empty(codes.Except(reached).Order());
    }

    [GoldenFact(writes: true)]
    public void Write_the_golden_file() =>
        File.WriteAllText(GoldenFile, string.Concat(Current.Value.Select(line => line.Text + "\n")));

    private static GoldenLine[] DecideAll()
    {
        var pack = Repository.Pack;
        var lines = new List<GoldenLine>();
        var requests = RequestGenerator.Generate(Seed, RequestsPerPolicy).ToArray();
        foreach (var policyId in PolicyIds)
        {
            var policy = Repository.Policies.Find(policyId)!;
            foreach (var generated in requests)
            {
                var decision = Decider.Decide(pack, generated.Request, policy, RequestGenerator.AsOf, new DecideOptions { History = generated.History });
                lines.Add(DecisionSummary.Of($"gen:{generated.Index}:{policyId}", decision));
            }
            // Added with AUTHORIZATION_HELD_ELSEWHERE: the first requests again, with another organization's approval near
            // the service's date as well (new lines; the generator and every earlier line are as they were).
            foreach (var generated in requests.Take(ElsewhereRequests))
            {
                var history = generated.History.Append(ElsewhereApproval).ToArray();
                var decision = Decider.Decide(pack, generated.Request, policy, RequestGenerator.AsOf, new DecideOptions { History = history });
                lines.Add(DecisionSummary.Of($"gen:elsewhere:{generated.Index}:{policyId}", decision));
            }
        }
        // Pack cases as the case runner decides them: under their policy, on their date, with their history.
        foreach (var packCase in CaseRunner.Load(pack.Source))
        {
            var read = RequestReader.Read(packCase.Request, packCase.AsOf);
            Assert.True(read.IsValid, packCase.File);
            var policy = Repository.Policies.Find(packCase.PolicyId)!;
            var decision = Decider.Decide(pack, read.Request, policy, packCase.AsOf, new DecideOptions { History = packCase.History });
            lines.Add(DecisionSummary.Of($"case:{Path.GetFileName(packCase.File)}", decision));
        }
        return [.. lines];
    }

    private static string IdOf(string line)
    {
        using var document = JsonDocument.Parse(line);
        return document.RootElement.GetProperty("id").GetString()!;
    }
}

/// <summary>A fact for one mode only: checking against the golden file, or rewriting it when MGAUTH_WRITE_GOLDEN=1.</summary>
public sealed class GoldenFactAttribute : FactAttribute
{
    public GoldenFactAttribute(bool writes = false)
    {
        var writing = Environment.GetEnvironmentVariable("MGAUTH_WRITE_GOLDEN") == "1";
        if (writes != writing) Skip = writes ? "set MGAUTH_WRITE_GOLDEN=1 to rewrite decisions.jsonl" : "decisions.jsonl is being rewritten";
    }
}
