using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using MgAuth.Domain.Requests;

namespace MgAuth.Fhir.Tests;

/// <summary>Every field of the contract travels: a request that sets all of them comes back whole, and the mapping names each.</summary>
public class EveryFieldTests
{
    // The domain tests' request with every field set to a value other than its default.
    private const string Full = Domain.Tests.TestRequests.Complete;

    [Fact]
    public void A_request_with_every_field_set_comes_back_whole()
    {
        var request = Examples.Read(Full);

        var submission = Fhir.Submit(request);

        Assert.True(submission.Kind == SubmissionKind.Ivig, string.Join("; ", submission.Problems));
        // The policy travels as the member's plan (Coverage.class); the caller's plan table, not the Bundle, names the policy.
        var expected = JsonNode.Parse(Full)!.AsObject();
        Assert.Equal(expected["policyId"]!.GetValue<string>(), submission.Plan);
        expected.Remove("policyId");
        Assert.True(JsonNode.DeepEquals(expected, submission.Request), $"expected {expected.ToJsonString()}\nactual   {submission.Request!.ToJsonString()}");
        submission.Request!["policyId"] = submission.Plan;
        Assert.True(JsonNode.DeepEquals(Examples.Canonical(request), Examples.Canonical(Examples.Read(submission.Request!.ToJsonString()))));
    }

    [Fact]
    public void Each_value_of_each_contract_enum_travels()
    {
        var json = JsonNode.Parse(Full)!.AsObject();
        json.Remove("policyId"); // the plan, not the Bundle, names the policy (PlanRoutingTests)
        foreach (var mgfa in ContractNames.All<MgfaClass>())
            foreach (var (iga, electro) in ContractNames.All<IgaStatus>().Zip(ContractNames.All<Electrodiagnostics>().Concat(ContractNames.All<Electrodiagnostics>())))
            {
                json["diagnosis"]!["mgfaClass"] = mgfa;
                json["diagnosis"]!["electrodiagnostics"] = electro;
                json["clinical"]!["igaStatus"] = iga;
                var request = Examples.Read(json.ToJsonString());
                var back = Examples.Read(Fhir.Submit(request).Request!.ToJsonString());
                Assert.True(JsonNode.DeepEquals(Examples.Canonical(request), Examples.Canonical(back)), $"{mgfa} {iga} {electro}");
            }
        foreach (var indication in ContractNames.All<Indication>())
            foreach (var outcome in ContractNames.All<TherapyOutcome>())
                foreach (var sex in ContractNames.All<Sex>())
                {
                    json["indication"] = indication;
                    json["priorTherapies"]![0]!["outcome"] = outcome;
                    json["priorIvigCourses"]![0]!["indication"] = indication;
                    json["member"]!["sex"] = sex;
                    var request = Examples.Read(json.ToJsonString());
                    var back = Examples.Read(Fhir.Submit(request).Request!.ToJsonString());
                    Assert.True(JsonNode.DeepEquals(Examples.Canonical(request), Examples.Canonical(back)), $"{indication} {outcome} {sex}");
                }
    }

    public static TheoryData<string> ContractPaths()
    {
        var data = new TheoryData<string>();
        foreach (var path in Leaves(typeof(AuthorizationRequest), "")) data.Add(path);
        return data;
    }

    [Theory]
    [MemberData(nameof(ContractPaths))]
    public void The_mapping_names_every_field_of_the_contract(string path)
    {
        Assert.NotNull(ContractFieldMap.Find(path));
    }

    [Fact]
    public void The_documented_mapping_is_the_one_the_code_uses()
    {
        var doc = File.ReadAllText(Path.Combine(Examples.Root, "docs", "fhir-mapping.md")).ReplaceLineEndings("\n");

        Assert.Contains(ContractFieldMap.Markdown(), doc);
        Assert.Contains(StandardCodeMap.Markdown(), doc);
    }

    // The contract's field paths, from the request records: a list's items as path[].field.
    private static IEnumerable<string> Leaves(Type type, string prefix)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var path = prefix + JsonNamingPolicy.CamelCase.ConvertName(property.Name);
            var t = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(IReadOnlyList<>))
                foreach (var leaf in Leaves(t.GetGenericArguments()[0], path + "[]."))
                    yield return leaf;
            else if (t.Namespace == typeof(AuthorizationRequest).Namespace && t.IsClass && t != typeof(string))
                foreach (var leaf in Leaves(t, path + "."))
                    yield return leaf;
            else
                yield return path;
        }
    }
}
