using MgAuth.RulePacks;

namespace MgAuth.RulePacks.Tests;

/// <summary>Every case in rules/ivig-mg/cases decides exactly as it expects.</summary>
public class PackCasesTests
{
    public static TheoryData<string> CaseFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in PackSource.FromFolder(Repository.PackFolder).Cases) data.Add(file.Path);
        return data;
    }

    [Theory]
    [MemberData(nameof(CaseFiles))]
    public void Case_decides_as_expected(string file)
    {
        var source = Repository.Pack.Source;
        var result = CaseRunner.Run(Repository.Pack, Repository.Policies, PackCase.Parse(source.Find(file)!));
        Assert.True(result.Passed, $"{file} ({result.Case.Description}):{Environment.NewLine}{string.Join(Environment.NewLine, result.Differences)}");
    }

    [Fact]
    public void The_pack_has_at_least_sixty_cases_covering_both_policies()
    {
        var cases = CaseRunner.Load(Repository.Pack.Source);
        Assert.True(cases.Count >= 60, $"only {cases.Count} cases");
        Assert.Contains(cases, c => c.PolicyId == "ivig-mg-restrictive");
        Assert.Contains(cases, c => c.PolicyId is null or "ivig-mg-standard");
    }
}
