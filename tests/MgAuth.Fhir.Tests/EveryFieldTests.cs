using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using MgAuth.Domain.Requests;

namespace MgAuth.Fhir.Tests;

/// <summary>Every field of the contract travels: a request that sets all of them comes back whole, and the mapping names each.</summary>
public class EveryFieldTests
{
    // Every contract field set to a value other than its default.
    private const string Full = """
    {
      "policyId": "ivig-mg-restrictive",
      "urgency": "expedited",
      "indication": "refractory_maintenance",
      "continuation": true,
      "member": { "id": "M-9001", "birthDate": "1958-02-28", "sex": "other", "weightKg": 101.5, "heightCm": 181.5 },
      "provider": { "npi": "1234567893" },
      "diagnosis": {
        "icd10": "G70.01", "mgfaClass": "IVb", "achrAntibody": "negative", "muskAntibody": "negative",
        "lrp4Antibody": "positive", "electrodiagnostics": "normal"
      },
      "clinical": {
        "mgAdl": { "current": 12, "baseline": 4 },
        "qmg": { "current": 20, "baseline": 8 },
        "bulbarDysfunction": true,
        "respiratory": { "intubated": true, "nonInvasiveVentilation": true, "fvcMlPerKg": 14.5 },
        "egfr": 41.5,
        "diabeticNephropathy": true,
        "igaStatus": "deficient_with_anti_iga",
        "thromboembolicHistory": true,
        "heartFailure": true,
        "priorIgAnaphylaxis": true,
        "hyperprolinemia": true,
        "hereditaryFructoseIntolerance": true,
        "immunosuppressantsContraindicated": true
      },
      "regimen": { "product": "Octagam 10%", "gramsPerDay": 35.5, "infusionDays": 3, "cycles": 4, "intervalDays": 21, "startDate": "2026-12-01" },
      "plannedSurgery": { "procedure": "thymectomy", "date": "2026-12-20" },
      "plannedCorticosteroid": { "startDate": "2026-12-03", "prednisoneMgPerKgPerDay": 0.75 },
      "priorTherapies": [
        { "agent": "azathioprine", "months": 14.5, "outcome": "effective" },
        { "agent": "eculizumab", "outcome": "contraindicated" },
        { "agent": "efgartigimod", "months": 3, "outcome": "ongoing" }
      ],
      "priorIvigCourses": [
        { "startDate": "2026-06-01", "indication": "exacerbation" },
        { "startDate": "2026-09-01", "indication": "crisis" }
      ],
      "priorIvigResponse": { "mgAdlBefore": 11, "mgAdlAfter": 5, "qmgBefore": 19, "qmgAfter": 10 }
    }
    """;

    [Fact]
    public void A_request_with_every_field_set_comes_back_whole()
    {
        var request = Examples.Read(Full);

        var submission = Fhir.Submit(request);

        Assert.True(submission.Kind == SubmissionKind.Ivig, string.Join("; ", submission.Problems));
        var expected = JsonNode.Parse(Full)!;
        Assert.True(JsonNode.DeepEquals(expected, submission.Request), $"expected {expected.ToJsonString()}\nactual   {submission.Request!.ToJsonString()}");
        Assert.True(JsonNode.DeepEquals(Examples.Canonical(request), Examples.Canonical(Examples.Read(submission.Request!.ToJsonString()))));
    }

    [Fact]
    public void Each_value_of_each_contract_enum_travels()
    {
        var json = JsonNode.Parse(Full)!.AsObject();
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
