using System.Text.Json.Nodes;
using MgAuth.Domain.Requests;

namespace MgAuth.Domain.Tests;

/// <summary>Requests to start from, and a way to change one field of them by its contract path.</summary>
internal static class TestRequests
{
    public static readonly DateOnly AsOf = new(2026, 11, 22);

    /// <summary>Only the required fields.</summary>
    public const string Minimal = """
        {
          "indication": "exacerbation",
          "member": { "id": "M-1", "birthDate": "1961-03-14", "sex": "female", "weightKg": 88, "heightCm": 165 },
          "diagnosis": { "icd10": "G70.01", "mgfaClass": "IIIb" },
          "regimen": { "gramsPerDay": 40, "infusionDays": 2, "startDate": "2026-11-24" }
        }
        """;

    /// <summary>Every field of the contract, each with a valid value that is not its default.</summary>
    public const string Complete = """
        {
          "policyId": "ivig-mg-restrictive",
          "urgency": "expedited",
          "indication": "refractory_maintenance",
          "continuation": true,
          "member": { "id": "M-1", "birthDate": "1961-03-14", "sex": "other", "weightKg": 88.5, "heightCm": 165 },
          "provider": { "npi": "1234567893" },
          "diagnosis": {
            "icd10": "G70.01", "mgfaClass": "IVb", "achrAntibody": "positive", "muskAntibody": "negative",
            "lrp4Antibody": "positive", "electrodiagnostics": "supportive"
          },
          "clinical": {
            "mgAdl": { "current": 9, "baseline": 6 },
            "qmg": { "current": 14, "baseline": 9 },
            "bulbarDysfunction": true,
            "respiratory": { "intubated": true, "nonInvasiveVentilation": true, "fvcMlPerKg": 28.5 },
            "egfr": 72,
            "diabeticNephropathy": true,
            "igaStatus": "deficient_with_anti_iga",
            "thromboembolicHistory": true,
            "heartFailure": true,
            "priorIgAnaphylaxis": true,
            "hyperprolinemia": true,
            "hereditaryFructoseIntolerance": true,
            "immunosuppressantsContraindicated": true
          },
          "regimen": { "product": "Gamunex-C", "gramsPerDay": 40, "infusionDays": 2, "cycles": 6, "intervalDays": 28, "startDate": "2026-11-24" },
          "plannedSurgery": { "procedure": "thymectomy", "date": "2026-12-05" },
          "plannedCorticosteroid": { "startDate": "2026-12-02", "prednisoneMgPerKgPerDay": 1.0 },
          "priorTherapies": [
            { "agent": "prednisone", "months": 6, "outcome": "inadequate_response" },
            { "agent": "azathioprine", "outcome": "intolerant" }
          ],
          "priorIvigCourses": [ { "startDate": "2026-08-01", "indication": "crisis" } ],
          "priorIvigResponse": { "mgAdlBefore": 10, "mgAdlAfter": 6, "qmgBefore": 20, "qmgAfter": 12 }
        }
        """;

    public static string Example(string name) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Examples", name + ".json"));

    public static ReadResult Read(string json) => RequestReader.Read(json, AsOf);

    public static AuthorizationRequest Accepted(string json)
    {
        ReadResult result = Read(json);
        Assert.True(result.IsValid, result.Problem is null ? "" : Describe(result.Problem));
        return result.Request;
    }

    public static ProblemDocument Rejected(string json)
    {
        ReadResult result = Read(json);
        Assert.False(result.IsValid, "the request was accepted");
        Assert.Null(result.Request);
        return result.Problem;
    }

    /// <summary>The only error of a rejected request: its path must be <paramref name="path"/>.</summary>
    public static string SingleError(string json, string path)
    {
        ProblemDocument problem = Rejected(json);
        KeyValuePair<string, string[]> error = Assert.Single(problem.Errors);
        Assert.Equal(path, error.Key);
        return Assert.Single(error.Value);
    }

    /// <summary><paramref name="json"/> with the field at <paramref name="path"/> set to <paramref name="rawValue"/> (JSON text).</summary>
    public static string With(string json, string path, string rawValue)
    {
        JsonObject root = JsonNode.Parse(json)!.AsObject();
        (JsonObject parent, string name) = Walk(root, path);
        parent[name] = JsonNode.Parse(rawValue);
        return root.ToJsonString();
    }

    public static string Without(string json, string path)
    {
        JsonObject root = JsonNode.Parse(json)!.AsObject();
        (JsonObject parent, string name) = Walk(root, path);
        Assert.True(parent.Remove(name), $"{path} is not in the request");
        return root.ToJsonString();
    }

    private static string Describe(ProblemDocument problem) =>
        string.Join("; ", problem.Errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}"));

    // "a.b[1].c" → the object holding "c", creating missing objects on the way.
    private static (JsonObject Parent, string Name) Walk(JsonObject root, string path)
    {
        string[] segments = path.Split('.');
        JsonObject current = root;
        foreach (string segment in segments[..^1])
        {
            int bracket = segment.IndexOf('[');
            if (bracket < 0)
            {
                current = current[segment] as JsonObject ?? (JsonObject)(current[segment] = new JsonObject());
            }
            else
            {
                int index = int.Parse(segment[(bracket + 1)..^1]);
                current = current[segment[..bracket]]!.AsArray()[index]!.AsObject();
            }
        }
        return (current, segments[^1]);
    }
}
