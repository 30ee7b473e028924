using System.Text.RegularExpressions;
using MgAuth.Domain.Policies;
using MgAuth.RulePacks;

namespace MgAuth.Api.Tests.Support;

/// <summary>
/// A release as a policy author uploads it: the pack's files by relative path ('/' separators, no bin/ or obj/)
/// and the policy files by name. Immutable: the With* methods return changed copies.
/// </summary>
public sealed record ReleaseFiles(IReadOnlyDictionary<string, string> Pack, IReadOnlyDictionary<string, string> Policies)
{
    /// <summary>The repository's own release (rules/ivig-mg and policies/), the one a fresh service starts on.</summary>
    public static ReleaseFiles Repository { get; } = FromFolders(Support.Repository.PackFolder, Support.Repository.PoliciesFolder);

    public static ReleaseFiles FromFolders(string packFolder, string policiesFolder)
    {
        var root = Path.GetFullPath(packFolder);
        var pack = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Select(path => (Relative: Path.GetRelativePath(root, path).Replace('\\', '/'), Path: path))
            .Where(f => !f.Relative.StartsWith("bin/", StringComparison.Ordinal) && !f.Relative.StartsWith("obj/", StringComparison.Ordinal)
                && !f.Relative.Split('/').Any(part => part.StartsWith('.')))
            .ToDictionary(f => f.Relative, f => File.ReadAllText(f.Path), StringComparer.Ordinal);
        var policies = Directory.EnumerateFiles(policiesFolder, "*.yaml")
            .ToDictionary(path => Path.GetFileName(path), File.ReadAllText, StringComparer.Ordinal);
        // The value sets travel with the policies (valuesets/*.json) and are part of the release's hash.
        foreach (var (name, text) in Domain.Terminology.ValueSetLibrary.ReadFolder(Path.Combine(policiesFolder, "valuesets")))
            policies[name] = text;
        return new ReleaseFiles(pack, policies);
    }

    /// <summary>The release hash the service will give this upload (pack files and policy texts).</summary>
    public string Sha256 => ToRelease().Sha256;

    /// <summary>The pack's content hash: what decisions carry as rulePack.sha256.</summary>
    public string PackSha256 => ToRelease().Pack.Sha256;

    /// <summary>The content hash of one policy, by id: what decisions carry as policy.sha256.</summary>
    public string PolicySha256(string policyId) => Policy(policyId).Sha256;

    public Policy Policy(string policyId) => PolicyLoader.ParseSet(Policies)[policyId];

    public RuleRelease ToRelease() => new(
        new PackSource("test", Pack.OrderBy(f => f.Key, StringComparer.Ordinal)
            .Select(f => new PackFile(f.Key, System.Text.Encoding.UTF8.GetBytes(f.Value))).ToArray()),
        Policies.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal));

    /// <summary>The body of POST /v1/rulepacks (also the "upload" of an impact request).</summary>
    public JsonObject ToUpload(string note = "")
    {
        var pack = new JsonObject();
        foreach (var (path, text) in Pack.OrderBy(f => f.Key, StringComparer.Ordinal)) pack[path] = text;
        var policies = new JsonObject();
        foreach (var (name, text) in Policies.OrderBy(f => f.Key, StringComparer.Ordinal)) policies[name] = text;
        return new JsonObject { ["note"] = note, ["pack"] = pack, ["policies"] = policies };
    }

    public ReleaseFiles WithPackFile(string path, string text) =>
        this with { Pack = new Dictionary<string, string>(Pack, StringComparer.Ordinal) { [path] = text } };

    public ReleaseFiles WithoutPackFiles(Func<string, bool> remove) =>
        this with { Pack = Pack.Where(f => !remove(f.Key)).ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal) };

    public ReleaseFiles WithPolicy(string file, Func<string, string> change) =>
        this with { Policies = new Dictionary<string, string>(Policies, StringComparer.Ordinal) { [file] = change(Policies[file]) } };

    /// <summary>Writes the release as two folders, pack/ and policies/, under <paramref name="folder"/> (for the CLI).</summary>
    public (string PackFolder, string PoliciesFolder) WriteTo(string folder)
    {
        var packFolder = Path.Combine(folder, "pack");
        var policiesFolder = Path.Combine(folder, "policies");
        foreach (var (path, text) in Pack)
        {
            var file = Path.Combine(packFolder, path.Replace('/', Path.DirectorySeparatorChar));
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            File.WriteAllText(file, text);
        }
        Directory.CreateDirectory(policiesFolder);
        foreach (var (name, text) in Policies)
        {
            var file = Path.Combine(policiesFolder, name.Replace('/', Path.DirectorySeparatorChar));
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            File.WriteAllText(file, text);
        }
        return (packFolder, policiesFolder);
    }
}

/// <summary>
/// The release under test: the standard policy's course ceiling lowered from 2 g/kg to 1.5 g/kg (and its version bumped);
/// the restrictive policy extends it, so it has the new ceiling and version too.
///
/// The pack's rule files and pack.yaml are the repository's, unchanged. Its cases are not: most of the repository's
/// cases encode the 2 g/kg ceiling and would fail, and a release must pass its own cases to be activatable, so cases/
/// is replaced by the hand-written cases below, worked out for 1.5 g/kg by the policy's §2 and §4 D1 arithmetic
/// (DosingWeightCalculator):
///
///   Devine IBW = base + 2.3 kg × (height in inches − 60), base 50 kg male (45.5 other); height in = cm / 2.54.
///   Dosing weight (DW) = actual weight, unless actual > 120 % of IBW: then IBW + 0.4 × (actual − IBW); half-up to 0.1 kg.
///   Course ceiling = roundUp(g/kg × DW, 5 g vial). Daily ceiling = roundUp(1 g/kg × DW, 5 g).
///
/// Member "A" (male, 176 cm, 78.0 kg; the exacerbation example's member):
///   176 / 2.54 = 69.2913 in; IBW = 50 + 2.3 × 9.2913 = 71.3701 → 71.4 kg; 120 % × 71.3701 = 85.64 ≥ 78 → DW = actual 78.0 kg.
///   New ceiling: 1.5 × 78.0 = 117.0 → 120 g.     Old ceiling: 2 × 78.0 = 156.0 → 160 g.   Daily: 78.0 → 80 g.
/// Member "B" (male, 175 cm, 100.0 kg):
///   175 / 2.54 = 68.8976 in; IBW = 50 + 2.3 × 8.8976 = 70.4646 → 70.5 kg; 120 % × 70.4646 = 84.56 &lt; 100 → adjusted:
///   70.4646 + 0.4 × (100 − 70.4646) = 82.2787 → DW 82.3 kg.
///   New ceiling: 1.5 × 82.3 = 123.45 → 125 g.    Old ceiling: 2 × 82.3 = 164.6 → 165 g.   Daily: 82.3 → 85 g.
/// So 120 g (A) and 125 g (B) are within the new ceiling (B only thanks to vial rounding), 125 g (A) and 130 g (B) are
/// above it; everything up to 160 g (A) / 165 g (B) was within the old one.
/// </summary>
public static class CeilingRelease
{
    public const string NewVersion = "2026.12.1";

    /// <summary>(sex, heightCm, weightKg) of the two members worked out above.</summary>
    public static readonly (string Sex, decimal HeightCm, decimal WeightKg) MemberA = ("male", 176m, 78.0m);
    public static readonly (string Sex, decimal HeightCm, decimal WeightKg) MemberB = ("male", 175m, 100.0m);

    public static ReleaseFiles Files { get; } = Build();

    private static ReleaseFiles Build()
    {
        var release = ReleaseFiles.Repository
            .WithoutPackFiles(path => path.StartsWith("cases/", StringComparison.Ordinal))
            .WithPolicy("ivig-mg-standard.yaml", LowerCeiling);
        var cases = new (string File, JsonObject Case)[]
        {
            ("cases/001-dw-78-0-course-120-exactly-at-1-5-ceiling.json",
                Case("1.5 g/kg at DW 78.0 kg: 117 g rounds up to the 120 g vial ceiling; 24 g x 5 = 120 g is within.",
                    MemberA, 24, 5, Within(120, 78.0m, "actual", 71.4m))),
            ("cases/002-dw-78-0-course-125-over-1-5-ceiling.json",
                Case("1.5 g/kg at DW 78.0 kg: 25 g x 5 = 125 g exceeds the 120 g ceiling (it was within 160 g at 2 g/kg).",
                    MemberA, 25, 5, Above(120, 78.0m, "actual", 71.4m))),
            ("cases/003-dw-adjusted-82-3-course-125-within-by-vial-rounding.json",
                Case("1.5 g/kg at adjusted DW 82.3 kg: 123.45 g rounds up to 125 g; 25 g x 5 = 125 g is within.",
                    MemberB, 25, 5, Within(125, 82.3m, "adjusted", 70.5m))),
            ("cases/004-dw-adjusted-82-3-course-130-over-1-5-ceiling.json",
                Case("1.5 g/kg at adjusted DW 82.3 kg: 26 g x 5 = 130 g exceeds the 125 g ceiling.",
                    MemberB, 26, 5, Above(125, 82.3m, "adjusted", 70.5m))),
            ("cases/005-restrictive-dw-78-0-course-125-over-1-5-ceiling.json",
                Case("The restrictive policy has the same 1.5 g/kg ceiling: 125 g at DW 78.0 kg is over 120 g.",
                    MemberA, 25, 5, Above(120, 78.0m, "actual", 71.4m), "ivig-mg-restrictive")),
        };
        foreach (var (file, json) in cases) release = release.WithPackFile(file, json.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        return release;
    }

    /// <summary>courseCeilingGramsPerKg: 2 → 1.5 and a new policy version; nothing else in the policy changes.</summary>
    public static string LowerCeiling(string policyYaml)
    {
        var lowered = Regex.Replace(policyYaml, @"(?m)^(\s*courseCeilingGramsPerKg:\s*)2(?=\s)", "${1}1.5");
        Assert.NotEqual(policyYaml, lowered);
        var versioned = Regex.Replace(lowered, @"(?m)^version:\s*\S+", $"version: {NewVersion}");
        Assert.NotEqual(lowered, versioned);
        return versioned;
    }

    /// <summary>An exacerbation request (the example's clinical picture) for a member of the given build and regimen.</summary>
    public static JsonObject Request((string Sex, decimal HeightCm, decimal WeightKg) member, int gramsPerDay, int days, string? memberId = null)
    {
        var request = Examples.Load(Examples.Exacerbation);
        request["member"]!["id"] = memberId ?? Examples.NewMemberId();
        request["member"]!["sex"] = member.Sex;
        request["member"]!["heightCm"] = member.HeightCm;
        request["member"]!["weightKg"] = member.WeightKg;
        request["regimen"]!["gramsPerDay"] = gramsPerDay;
        request["regimen"]!["infusionDays"] = days;
        return request;
    }

    private static JsonObject Case(string description, (string Sex, decimal HeightCm, decimal WeightKg) member, int gramsPerDay, int days,
        JsonObject expected, string policy = "ivig-mg-standard")
    {
        var request = Request(member, gramsPerDay, days, "M-CEIL-" + member.WeightKg.ToString("0", System.Globalization.CultureInfo.InvariantCulture));
        if (policy != "ivig-mg-standard") request["policyId"] = policy;
        return new JsonObject
        {
            ["description"] = description,
            ["policy"] = policy,
            ["asOf"] = "2026-11-22",
            ["request"] = request,
            ["expected"] = expected,
        };
    }

    private static JsonObject Within(int ceiling, decimal dw, string method, decimal ideal) => new()
    {
        ["decision"] = "approve",
        ["status"] = "approved",
        ["reasons"] = new JsonArray("DIAGNOSIS_COVERED", "DIAGNOSIS_CONFIRMED", "DOSE_WITHIN_COURSE_CEILING", "INDICATION_EXACERBATION_MET"),
        ["dosingWeight"] = new JsonObject { ["kg"] = dw, ["method"] = method, ["idealKg"] = ideal },
        ["authorized"] = new JsonObject { ["courseGrams"] = ceiling },
        ["messagesContain"] = new JsonObject { ["DOSE_WITHIN_COURSE_CEILING"] = "1.5 g/kg ceiling" },
    };

    private static JsonObject Above(int ceiling, decimal dw, string method, decimal ideal) => new()
    {
        ["decision"] = "deny",
        ["status"] = "pended",
        ["reasons"] = new JsonArray("DIAGNOSIS_COVERED", "DIAGNOSIS_CONFIRMED", "DOSE_ABOVE_COURSE_CEILING", "INDICATION_EXACERBATION_MET"),
        ["dosingWeight"] = new JsonObject { ["kg"] = dw, ["method"] = method, ["idealKg"] = ideal },
        ["approvableAlternative"] = new JsonObject { ["courseGrams"] = ceiling },
        ["messagesContain"] = new JsonObject { ["DOSE_ABOVE_COURSE_CEILING"] = "1.5 g/kg ceiling" },
    };
}

/// <summary>The rule-pack endpoints, called as a test would.</summary>
public static class RulePackCalls
{
    public static Task<HttpResponseMessage> PublishAsync(this HttpClient client, ReleaseFiles release, string note = "") =>
        client.PostJsonAsync("/v1/rulepacks", release.ToUpload(note));

    /// <summary>Publishes and insists on 201; returns the publish result.</summary>
    public static async Task<JsonObject> PublishCreatedAsync(this HttpClient client, ReleaseFiles release, string note = "")
    {
        using var response = await client.PublishAsync(release, note);
        var json = await response.JsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"publish: expected 201, got {(int)response.StatusCode}: {json}");
        Assert.Equal(release.Sha256, (string)json["sha256"]!);
        return json.AsObject();
    }

    public static Task<HttpResponseMessage> ActivateAsync(this HttpClient client, string sha256, DateTimeOffset? effectiveFrom = null, string? note = null)
    {
        var body = new JsonObject();
        if (effectiveFrom is { } from) body["effectiveFrom"] = from.ToString("O");
        if (note is not null) body["note"] = note;
        return client.PostJsonAsync($"/v1/rulepacks/{sha256}/activate", body);
    }

    public static async Task<JsonObject> ActivateOkAsync(this HttpClient client, string sha256, DateTimeOffset? effectiveFrom = null, string? note = null)
    {
        using var response = await client.ActivateAsync(sha256, effectiveFrom, note);
        var json = await response.JsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"activate: expected 200, got {(int)response.StatusCode}: {json}");
        return json.AsObject();
    }

    public static Task<HttpResponseMessage> RollbackAsync(this HttpClient client) =>
        client.PostAsync("/v1/rulepacks/rollback", content: null);

    public static Task<JsonObject> ListReleasesAsync(this HttpClient client) => client.GetOkAsync("/v1/rulepacks");

    /// <summary>The listing's entry for one release.</summary>
    public static JsonObject Release(this JsonObject listing, string sha256) =>
        listing["releases"]!.AsArray().Select(r => r!.AsObject()).Single(r => (string)r["sha256"]! == sha256);

    public static string PolicySha(this JsonNode decision) => (string)decision["policy"]!["sha256"]!;

    public static string PackSha(this JsonNode decision) => (string)decision["rulePack"]!["sha256"]!;
}
