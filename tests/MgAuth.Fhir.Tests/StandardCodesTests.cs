using System.Text.Json.Nodes;
using MgAuth.Domain.Decisions;
using MgAuth.Domain.Requests;
using MgAuth.RulePacks;

namespace MgAuth.Fhir.Tests;

/// <summary>
/// A PAS request written by an EHR from the FHIR, US Core and PAS specs (Ehr/ivig-request.json: standard codes only)
/// read into the contract request through the release's value sets; each safety fact from a standard resource
/// decides as the same fact sent through /v1 does.
/// </summary>
public class StandardCodesTests
{
    private static readonly string EhrFolder = Path.Combine(AppContext.BaseDirectory, "Ehr");

    private static JsonObject EhrBundle() => JsonNode.Parse(File.ReadAllText(Path.Combine(EhrFolder, "ivig-request.json")))!.AsObject();

    private static PasSubmission Read(JsonObject bundle) => PasRequestReader.Read(bundle.ToJsonString(), ValueSets.Shipped);

    [Fact]
    public void The_EHR_bundle_is_read_into_the_contract_request_field_by_field()
    {
        var submission = Read(EhrBundle());

        Assert.True(submission.Kind == SubmissionKind.Ivig, string.Join("; ", submission.Problems));
        var r = submission.Request!;
        Assert.Equal("PPO-GOLD-2026", submission.Plan);
        Assert.Null(r["policyId"]);
        Assert.Equal("standard", (string?)r["urgency"]);
        Assert.Equal("W200417733", (string?)r["member"]!["id"]);
        Assert.Equal("1971-06-19", (string?)r["member"]!["birthDate"]);
        Assert.Equal("female", (string?)r["member"]!["sex"]);
        Assert.Equal(166.4m * 0.45359237m, (decimal)r["member"]!["weightKg"]!);   // [lb_av] through UCUM
        Assert.Equal(165.1m, (decimal)r["member"]!["heightCm"]!);                 // [in_i]
        Assert.Equal("1234567893", (string?)r["provider"]!["npi"]);
        Assert.Equal("G70.01", (string?)r["diagnosis"]!["icd10"]);
        Assert.Equal("positive", (string?)r["diagnosis"]!["achrAntibody"]);       // LOINC 11034-6, interpretation H
        Assert.Equal("Privigen", (string?)r["regimen"]!["product"]);              // NDC 44206-437-10, not the text
        Assert.Equal(30m, (decimal)r["regimen"]!["gramsPerDay"]!);
        Assert.Equal(5, (int)r["regimen"]!["infusionDays"]!);
        Assert.Equal("2026-12-10", (string?)r["regimen"]!["startDate"]);
        Assert.Equal(68m, (decimal)r["clinical"]!["egfr"]!);
        Assert.True((bool)r["clinical"]!["heartFailure"]!);                        // Condition I50.22
        Assert.True((bool)r["clinical"]!["priorIgAnaphylaxis"]!);                  // AllergyIntolerance to Gammagard Liquid, anaphylaxis
        var therapies = r["priorTherapies"]!.AsArray();
        Assert.Equal(2, therapies.Count);
        Assert.Equal("prednisone", (string?)therapies[0]!["agent"]);               // RxNorm 8640
        Assert.Equal(5.9m, (decimal)therapies[0]!["months"]!);                    // validityPeriod 2026-01-05..07-05
        Assert.Null(therapies[0]!["outcome"]);                                     // stopped, no reason: the record does not say
        Assert.Equal("azathioprine", (string?)therapies[1]!["agent"]);             // RxNorm 1256
        Assert.Equal(5.9m, (decimal)therapies[1]!["months"]!);                    // 6 fills of 30 days
        Assert.Equal("ongoing", (string?)therapies[1]!["outcome"]);                // active
        Assert.Null(r["plannedCorticosteroid"]);                                   // an order for prednisone is not a planned course
        // What no standard code says stays absent, for the questionnaire to ask.
        foreach (var absent in new[] { "indication", "continuation", "plannedSurgery", "priorIvigCourses" }) Assert.Null(r[absent]);
        Assert.Null(r["diagnosis"]!["mgfaClass"]);
        Assert.Null(r["clinical"]!["mgAdl"]);
        Assert.Null(r["clinical"]!["qmg"]);
    }

    [Fact]
    public void The_administration_line_is_decided_with_the_drug()
    {
        var bundle = EhrBundle();

        var submission = Read(bundle);

        Assert.Equal(SubmissionKind.Ivig, submission.Kind);
        Assert.Equal([1], PasRequestReader.AdministrationLines(submission.Claim!));
    }

    [Fact]
    public void Two_drug_lines_or_a_line_that_administers_nothing_go_to_a_person()
    {
        var other = EhrBundle();
        var items = Claim(other)["item"]!.AsArray();
        items[1]!["productOrService"] = JsonNode.Parse("""{"coding":[{"system":"http://www.ama-assn.org/go/cpt","code":"99213"}]}""");
        Assert.Equal(SubmissionKind.OtherService, Read(other).Kind);

        var twice = EhrBundle();
        var lines = Claim(twice)["item"]!.AsArray();
        lines[1]!["productOrService"] = lines[0]!["productOrService"]!.DeepClone();
        Assert.Equal(SubmissionKind.OtherService, Read(twice).Kind);
    }

    [Theory]
    [InlineData("44206-437-10")]
    [InlineData("44206043710")]
    public void A_product_is_known_by_any_of_its_codes(string ndc)
    {
        var bundle = EhrBundle();
        Claim(bundle)["item"]![0]!["productOrService"] = JsonNode.Parse("""{"coding":[{"system":"http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets","code":"J1599"}]}""");
        Order(bundle)["medicationCodeableConcept"] = JsonNode.Parse($$"""{"coding":[{"system":"http://hl7.org/fhir/sid/ndc","code":"{{ndc}}"}],"text":"IVIG 10%"}""");

        var submission = Read(bundle);

        Assert.Equal(SubmissionKind.Ivig, submission.Kind);
        Assert.Equal("Privigen", (string?)submission.Request!["regimen"]!["product"]);
    }

    [Fact]
    public void An_HCPCS_code_that_bills_two_products_names_neither()
    {
        var bundle = EhrBundle();
        Claim(bundle)["item"]![0]!["productOrService"] = JsonNode.Parse("""{"coding":[{"system":"http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets","code":"J1561"}]}""");
        Order(bundle)["medicationCodeableConcept"] = JsonNode.Parse("""{"text":"Gammaked 10%"}""");

        var submission = Read(bundle);

        Assert.Equal(SubmissionKind.Ivig, submission.Kind);
        Assert.Equal("Gammaked 10%", (string?)submission.Request!["regimen"]!["product"]);
    }

    [Theory]
    [InlineData("refuted")]
    [InlineData("entered-in-error")]
    public void A_condition_the_EHR_withdrew_says_nothing(string status)
    {
        var bundle = EhrBundle();
        Resource(bundle, "Condition")["verificationStatus"]!["coding"]![0]!["code"] = status;

        var submission = Read(bundle);

        Assert.Null(submission.Request!["clinical"]!["heartFailure"]);
    }

    [Fact]
    public void A_mild_allergy_to_immune_globulin_is_not_anaphylaxis()
    {
        var bundle = EhrBundle();
        var allergy = Resource(bundle, "AllergyIntolerance");
        allergy["criticality"] = "low";
        allergy["reaction"] = JsonNode.Parse("""[{"manifestation":[{"coding":[{"system":"http://snomed.info/sct","code":"271807003","display":"Rash"}]}]}]""");

        Assert.Null(Read(bundle).Request!["clinical"]!["priorIgAnaphylaxis"]);
    }

    [Fact]
    public void Only_a_planned_corticosteroid_is_the_planned_course_and_prior_orders_are_therapies()
    {
        var bundle = EhrBundle();
        var prednisone = Resource(bundle, "MedicationRequest", r => (string?)r["medicationCodeableConcept"]?["coding"]?[0]?["code"] == "8640");
        prednisone["intent"] = "plan";
        prednisone["status"] = "active";
        prednisone["dosageInstruction"] = JsonNode.Parse("""[{"timing":{"repeat":{"boundsPeriod":{"start":"2026-12-12"}}},"doseAndRate":[{"doseQuantity":{"value":1,"unit":"mg/kg/d","system":"http://unitsofmeasure.org","code":"mg/kg/d"}}]}]""");

        var submission = Read(bundle);

        Assert.True(submission.Kind == SubmissionKind.Ivig, string.Join("; ", submission.Problems));
        Assert.Equal("2026-12-12", (string?)submission.Request!["plannedCorticosteroid"]!["startDate"]);
        Assert.Equal("azathioprine", (string?)Assert.Single(submission.Request!["priorTherapies"]!.AsArray())!["agent"]);
    }

    [Fact]
    public void A_plan_named_like_a_policy_is_still_only_a_plan()
    {
        var bundle = EhrBundle();
        Resource(bundle, "Coverage")["class"]![0]!["value"] = "ivig-mg-restrictive";

        var submission = Read(bundle);

        Assert.Equal("ivig-mg-restrictive", submission.Plan);
        Assert.Null(submission.Request!["policyId"]);
    }

    // Each safety fact from a standard resource, against the same fact sent through /v1.
    public static TheoryData<string, string, string> SafetyFacts() => new()
    {
        { "Condition", """{"system":"http://hl7.org/fhir/sid/icd-10-cm","code":"I50.9"}""", "clinical.heartFailure=true" },
        { "Condition", """{"system":"http://snomed.info/sct","code":"84114007"}""", "clinical.heartFailure=true" },
        { "Condition", """{"system":"http://hl7.org/fhir/sid/icd-10-cm","code":"D80.2"}""", "clinical.igaStatus=deficient" },
        { "Condition", """{"system":"http://hl7.org/fhir/sid/icd-10-cm","code":"Z86.718"}""", "clinical.thromboembolicHistory=true" },
        { "Condition", """{"system":"http://hl7.org/fhir/sid/icd-10-cm","code":"E11.21"}""", "clinical.diabeticNephropathy=true" },
        { "Condition", """{"system":"http://hl7.org/fhir/sid/icd-10-cm","code":"E74.12"}""", "clinical.hereditaryFructoseIntolerance=true" },
        { "AllergyIntolerance", """{"system":"http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets","code":"J1459"}""", "clinical.priorIgAnaphylaxis=true" },
        { "Procedure", """{"system":"http://snomed.info/sct","code":"112798008"}""", "clinical.respiratory.intubated=true" },
        { "Procedure", """{"system":"http://snomed.info/sct","code":"428311008"}""", "clinical.respiratory.nonInvasiveVentilation=true" },
    };

    [Theory]
    [MemberData(nameof(SafetyFacts))]
    public void A_safety_fact_from_a_standard_resource_decides_as_the_same_v1_fact(string type, string coding, string fact)
    {
        var (path, value) = (fact.Split('=')[0], fact.Split('=')[1]);
        // Respiratory support makes a crisis: the crisis example without its own crisis criteria shows it.
        var respiratory = path.StartsWith("clinical.respiratory.", StringComparison.Ordinal);
        var example = respiratory ? "crisis" : "exacerbation";
        Action<JsonObject> baseline = respiratory
            ? json => { json["clinical"]!.AsObject().Remove("respiratory"); json["diagnosis"]!["mgfaClass"] = "IVb"; }
            : _ => { };
        var (baseRequest, before) = Decisions.Decide(example, baseline);
        var written = JsonNode.Parse(Fhir.Json(PasRequestWriter.Write(baseRequest, DateTimeOffset.UnixEpoch)))!.AsObject();
        Attach(written, StandardResource(type, coding));

        var read = Read(written);

        Assert.True(read.Kind == SubmissionKind.Ivig, string.Join("; ", read.Problems));
        var fromFhir = Examples.Read(read.Request!.ToJsonString());
        var (viaV1, v1Decision) = Decisions.Decide(example, json => { baseline(json); SetPath(json, path, value); });
        Assert.True(JsonNode.DeepEquals(Examples.Canonical(viaV1), Examples.Canonical(fromFhir)), $"{fact}: {Examples.Canonical(fromFhir)}");
        var decision = Decide(fromFhir);
        Assert.Equal(Codes(v1Decision), Codes(decision));
        if (path != "clinical.hereditaryFructoseIntolerance") Assert.NotEqual(Codes(before), Codes(decision)); // HFI restricts Gammaplex only
    }

    private static JsonObject StandardResource(string type, string coding) => type switch
    {
        "Condition" => JsonNode.Parse($$$"""
            {"resourceType":"Condition","clinicalStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-clinical","code":"active"}]},
             "verificationStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-ver-status","code":"confirmed"}]},
             "code":{"coding":[{{{coding}}}]},"subject":{"reference":"Patient/x"}}
            """)!.AsObject(),
        "AllergyIntolerance" => JsonNode.Parse($$$"""
            {"resourceType":"AllergyIntolerance","verificationStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/allergyintolerance-verification","code":"confirmed"}]},
             "code":{"coding":[{{{coding}}}]},"patient":{"reference":"Patient/x"},
             "reaction":[{"manifestation":[{"coding":[{"system":"http://snomed.info/sct","code":"39579001"}]}]}]}
            """)!.AsObject(),
        _ => JsonNode.Parse($$$"""
            {"resourceType":"Procedure","status":"in-progress","code":{"coding":[{{{coding}}}]},"subject":{"reference":"Patient/x"}}
            """)!.AsObject(),
    };

    private static void Attach(JsonObject bundle, JsonObject resource)
    {
        var entries = bundle["entry"]!.AsArray();
        var patient = (string)entries.First(e => (string?)e!["resource"]!["resourceType"] == "Patient")!["fullUrl"]!;
        var text = resource.ToJsonString().Replace("Patient/x", patient, StringComparison.Ordinal);
        var url = "urn:uuid:5a6b7c8d-0000-4000-8000-" + entries.Count.ToString("D12", System.Globalization.CultureInfo.InvariantCulture);
        entries.Add(new JsonObject { ["fullUrl"] = url, ["resource"] = JsonNode.Parse(text) });
        var info = Claim(bundle)["supportingInfo"] as JsonArray ?? [];
        Claim(bundle)["supportingInfo"] = info;
        info.Add(JsonNode.Parse($$$"""
            {"sequence":{{{info.Count + 1}}},"category":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/claiminformationcategory","code":"info"}]},
             "valueReference":{"reference":"{{{url}}}"}}
            """));
    }

    private static void SetPath(JsonObject json, string path, string value)
    {
        var names = path.Split('.');
        var target = json;
        foreach (var name in names[..^1])
        {
            if (target[name] is not JsonObject next) target[name] = next = [];
            target = next;
        }
        target[names[^1]] = value == "true" ? JsonValue.Create(true) : JsonValue.Create(value);
    }

    private static readonly Lazy<RulePack> Pack = new(() => RulePackCompiler.Load(Path.Combine(Examples.Root, "rules", "ivig-mg")));
    private static readonly Lazy<PolicySet> Policies = new(() => PolicySet.FromFolder(Path.Combine(Examples.Root, "policies")));

    private static Decision Decide(AuthorizationRequest request) => Decider.Decide(Pack.Value, request, Policies.Value.Find(null)!, Examples.AsOf);

    private static string Codes(Decision decision) => $"{decision.Outcome}: {string.Join(",", decision.Reasons.Select(r => r.Code).Order(StringComparer.Ordinal))}";

    private static JsonObject Claim(JsonObject bundle) => bundle["entry"]![0]!["resource"]!.AsObject();

    private static JsonObject Order(JsonObject bundle) =>
        Resource(bundle, "MedicationRequest", r => (string?)r["intent"] == "order" && (string?)r["status"] == "active" && r["dosageInstruction"]?[0]?["doseAndRate"] is not null);

    private static JsonObject Resource(JsonObject bundle, string type, Func<JsonObject, bool>? where = null) =>
        bundle["entry"]!.AsArray().Select(e => e!["resource"]!.AsObject()).First(r => (string?)r["resourceType"] == type && (where?.Invoke(r) ?? true));
}
