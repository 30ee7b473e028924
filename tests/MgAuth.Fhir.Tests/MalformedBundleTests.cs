using System.Text.Json.Nodes;

namespace MgAuth.Fhir.Tests;

/// <summary>Bundles the facade cannot read get problems that name the path, and nothing else.</summary>
public class MalformedBundleTests
{
    private static JsonObject Valid() =>
        JsonNode.Parse(Fhir.Json(PasRequestWriter.Write(Examples.Request("exacerbation"), DateTimeOffset.UnixEpoch)))!.AsObject();

    private static JsonObject Claim(JsonObject bundle) => bundle["entry"]![0]!["resource"]!.AsObject();

    private static FhirProblem Single(string json, string path)
    {
        var submission = PasRequestReader.Read(json, ValueSets.Shipped);
        Assert.Equal(SubmissionKind.Invalid, submission.Kind);
        Assert.Null(submission.Request);
        return Assert.Single(submission.Problems, p => p.Path == path);
    }

    [Fact]
    public void The_valid_Bundle_these_tests_break_reads_as_IVIG() =>
        Assert.Equal(SubmissionKind.Ivig, PasRequestReader.Read(Valid().ToJsonString(), ValueSets.Shipped).Kind);

    [Theory]
    [InlineData("{\"resourceType\": \"Bundle\", ")]
    [InlineData("not json")]
    [InlineData("[1, 2]")]
    [InlineData("")]
    public void A_body_that_is_not_a_JSON_object_is_a_problem_of_the_whole_Bundle(string body) =>
        Assert.NotEmpty(Single(body, "Bundle").Message);

    [Fact]
    public void Another_resource_type_is_named()
    {
        var problem = Single("{\"resourceType\": \"Patient\", \"gender\": \"female\"}", "resourceType");
        Assert.Contains("Patient", problem.Message);
    }

    [Fact]
    public void A_Claim_that_is_not_the_first_entry_is_named()
    {
        var bundle = Valid();
        var entries = bundle["entry"]!.AsArray();
        var claim = entries[0]!;
        entries.RemoveAt(0);
        entries.Add(claim);

        Assert.Contains("Claim", Single(bundle.ToJsonString(), "Bundle.entry[0].resource").Message);
    }

    [Fact]
    public void A_use_other_than_preauthorization_is_named()
    {
        var bundle = Valid();
        Claim(bundle)["use"] = "claim";

        Assert.Contains("preauthorization", Single(bundle.ToJsonString(), "Bundle.entry[0].resource.use").Message);
    }

    [Fact]
    public void A_Claim_without_a_focal_Coverage_is_named()
    {
        var bundle = Valid();
        Claim(bundle)["insurance"]![0]!["focal"] = false;

        Assert.Contains("focal", Single(bundle.ToJsonString(), "Bundle.entry[0].resource.insurance").Message);
    }

    [Fact]
    public void A_focal_Coverage_the_Bundle_does_not_hold_is_named()
    {
        var bundle = Valid();
        Claim(bundle)["insurance"]![0]!["coverage"]!["reference"] = "Coverage/elsewhere";

        Assert.Contains("Coverage/elsewhere", Single(bundle.ToJsonString(), "Bundle.entry[0].resource.insurance[0].coverage").Message);
    }

    [Fact]
    public void A_Claim_without_an_item_is_named()
    {
        var bundle = Valid();
        Claim(bundle).Remove("item");

        Assert.Contains("item", Single(bundle.ToJsonString(), "Bundle.entry[0].resource.item").Message);
    }

    [Fact]
    public void A_wrong_type_inside_a_resource_is_named_by_Firely_s_strict_parser()
    {
        var bundle = Valid();
        bundle["entry"]![1]!["resource"]!["birthDate"] = 19610314;

        Assert.Contains("date", Single(bundle.ToJsonString(), "Bundle.entry[1].resource.birthDate").Message);
    }

    [Fact]
    public void An_unknown_element_is_named_by_Firely_s_strict_parser()
    {
        var bundle = Valid();
        Claim(bundle)["urgency"] = "expedited";

        Assert.Contains("urgency", Single(bundle.ToJsonString(), "Bundle.entry[0].resource.urgency").Message);
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var bundle = Valid();
        Claim(bundle)["use"] = "claim";
        Claim(bundle).Remove("item");
        Claim(bundle)["insurance"]![0]!["focal"] = false;

        var problems = PasRequestReader.Read(bundle.ToJsonString(), ValueSets.Shipped).Problems.Select(p => p.Path).ToArray();

        Assert.Equal(["Bundle.entry[0].resource.use", "Bundle.entry[0].resource.insurance", "Bundle.entry[0].resource.item"], problems);
    }

    [Fact]
    public void A_finding_in_a_unit_MgAuth_cannot_convert_is_named_with_the_contract_field()
    {
        var bundle = Valid();
        var weight = bundle["entry"]!.AsArray().Select(e => e!["resource"]!).First(r => (string?)r["code"]?["coding"]?[0]?["code"] == "29463-7");
        weight["valueQuantity"]!["code"] = "[stone_av]";
        var index = bundle["entry"]!.AsArray().Select(e => e!["resource"]).ToList().IndexOf(weight);

        var problem = Single(bundle.ToJsonString(), $"Bundle.entry[{index}].resource.value");
        Assert.Contains("member.weightKg", problem.Message);
        Assert.Contains("[stone_av]", problem.Message);
    }

    [Fact]
    public void Problems_become_an_OperationOutcome_with_one_error_issue_each_at_its_path()
    {
        var outcome = FhirProblem.ToOperationOutcome([new("Bundle.entry[0].resource.use", "must be preauthorization"), new("Bundle", "is not JSON")]);

        Assert.Equal(["Bundle.entry[0].resource.use", "Bundle"], outcome.Issue.Select(i => i.Expression.Single()));
        Assert.All(outcome.Issue, i => Assert.Equal(Hl7.Fhir.Model.OperationOutcome.IssueSeverity.Error, i.Severity));
        Assert.Empty(FhirValidation.Errors(outcome));
    }
}
