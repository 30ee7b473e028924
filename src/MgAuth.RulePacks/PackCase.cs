using System.Text.Json;
using MgAuth.Domain.Decisions;
using MgAuth.Domain.Facts;

namespace MgAuth.RulePacks;

/// <summary>
/// A test case kept with the pack (Cedar's idea): a request, the policy and date it is decided
/// under, the member's approved authorizations the service would add (<c>history</c>, optional),
/// and what the decision must be. Fields left out of <c>expected</c> are not checked.
/// </summary>
public sealed record PackCase(string File, string Description, string? PolicyId, DateOnly AsOf, JsonElement Request, JsonElement Expected)
{
    public IReadOnlyList<PlanApproval> History { get; init; } = [];

    public static PackCase Parse(PackFile file)
    {
        using var document = JsonDocument.Parse(file.Content);
        var root = document.RootElement.Clone();
        string? Text(string name) => root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        if (!root.TryGetProperty("request", out var request) || !root.TryGetProperty("expected", out var expected))
            throw new FormatException($"{file.Path}: a case needs 'request' and 'expected'");
        var asOf = Text("asOf") is { } date ? DateOnly.ParseExact(date, "yyyy-MM-dd") : throw new FormatException($"{file.Path}: 'asOf' is missing");
        var history = root.TryGetProperty("history", out var h)
            ? h.Deserialize<PlanApproval[]>(MgAuthJson.Compact) ?? []
            : [];
        return new PackCase(file.Path, Text("description") ?? "", Text("policy"), asOf, request, expected) { History = history };
    }
}

/// <summary>How one case came out: what differed from the expectation, and which rules fired.</summary>
public sealed record CaseResult(PackCase Case, string PolicyId, IReadOnlyList<string> Differences, Decision? Decision)
{
    public bool Passed => Differences.Count == 0;

    public IEnumerable<string> FiredRules => Decision?.Trace.Select(t => t.Rule) ?? [];
}

/// <summary>Runs a pack's cases and compares each decision with its expectation, field by field.</summary>
public static class CaseRunner
{
    public static IReadOnlyList<PackCase> Load(PackSource source) => source.Cases.Select(PackCase.Parse).ToArray();

    public static IReadOnlyList<CaseResult> RunAll(RulePack pack, PolicySet policies, string? onlyPolicy = null) =>
        Load(pack.Source)
            .Where(c => onlyPolicy is null || (c.PolicyId ?? policies.DefaultId) == onlyPolicy)
            .Select(c => Run(pack, policies, c))
            .ToArray();

    public static CaseResult Run(RulePack pack, PolicySet policies, PackCase c)
    {
        var policyId = c.PolicyId ?? policies.DefaultId;
        var (decided, problem) = DecisionPipeline.Decide(pack, policies, c.Request, c.AsOf, c.History, policyId);
        if (problem is not null)
            return new CaseResult(c, policyId, [$"the request is rejected: {string.Join("; ", problem.Errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}"))}"], null);

        var decision = decided!;
        var actual = JsonSerializer.SerializeToElement(decision, MgAuthJson.Compact);
        var differences = new List<string>();
        foreach (var expected in c.Expected.EnumerateObject())
        {
            var got = actual.TryGetProperty(expected.Name, out var value) ? value : default;
            if (expected.Name is "reasons")
                CompareSets(expected.Name, expected.Value, Codes(decision), differences);
            else if (expected.Name is "missingDocumentation")
                CompareSets(expected.Name, expected.Value, decision.MissingDocumentation, differences);
            else if (expected.Name is "messagesContain")
                CompareMessages(expected.Value, decision, differences);
            else
                CompareValues(expected.Name, expected.Value, got, differences);
        }
        if (!c.Expected.TryGetProperty("missingDocumentation", out _) && decision.MissingDocumentation.Count > 0)
            differences.Add($"missingDocumentation: expected none, got [{string.Join(", ", decision.MissingDocumentation)}]");
        return new CaseResult(c, policyId, differences, decision);
    }

    // A reason's sentence must carry this member's particulars: "messagesContain": { "CODE": "text it must contain" }.
    private static void CompareMessages(JsonElement expected, Decision decision, List<string> differences)
    {
        foreach (var member in expected.EnumerateObject())
        {
            var text = member.Value.GetString() ?? "";
            var messages = decision.Reasons.Where(r => r.Code == member.Name).Select(r => r.Message).ToArray();
            if (!messages.Any(m => m.Contains(text, StringComparison.Ordinal)))
                differences.Add($"messagesContain.{member.Name}: no {member.Name} message contains \"{text}\" (got: {string.Join(" | ", messages)})");
        }
    }

    private static IReadOnlyList<string> Codes(Decision decision) => decision.Reasons.Select(r => r.Code).Distinct().ToArray();

    private static void CompareSets(string name, JsonElement expected, IReadOnlyList<string> actual, List<string> differences)
    {
        var want = expected.EnumerateArray().Select(e => e.GetString()!).ToHashSet();
        var missing = want.Except(actual).Order().ToArray();
        var extra = actual.Except(want).Order().ToArray();
        if (missing.Length > 0) differences.Add($"{name}: expected but absent: {string.Join(", ", missing)}");
        if (extra.Length > 0) differences.Add($"{name}: present but not expected: {string.Join(", ", extra)}");
    }

    // Objects compare on the expected members only; numbers compare by value (150 equals 150.0).
    private static void CompareValues(string path, JsonElement expected, JsonElement actual, List<string> differences)
    {
        if (expected.ValueKind == JsonValueKind.Object && actual.ValueKind == JsonValueKind.Object)
        {
            foreach (var member in expected.EnumerateObject())
                CompareValues($"{path}.{member.Name}", member.Value,
                    actual.TryGetProperty(member.Name, out var value) ? value : default, differences);
            return;
        }
        var same = expected.ValueKind == JsonValueKind.Number && actual.ValueKind == JsonValueKind.Number
            ? expected.GetDecimal() == actual.GetDecimal()
            : expected.ValueKind == actual.ValueKind && expected.GetRawText() == actual.GetRawText();
        if (!same)
            differences.Add($"{path}: expected {expected.GetRawText()}, got {(actual.ValueKind == JsonValueKind.Undefined ? "nothing" : actual.GetRawText())}");
    }
}
