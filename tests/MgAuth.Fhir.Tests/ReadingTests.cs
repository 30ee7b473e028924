using System.Text.Json.Nodes;
using Hl7.Fhir.Model;

namespace MgAuth.Fhir.Tests;

/// <summary>How the reader treats Bundles an EHR writes: other reference styles, units and codes, and what is missing.</summary>
public class ReadingTests
{
    private static JsonObject Written(string example) =>
        JsonNode.Parse(Fhir.Json(PasRequestWriter.Write(Examples.Request(example), DateTimeOffset.UnixEpoch)))!.AsObject();

    private static IEnumerable<JsonObject> Resources(JsonObject bundle) => bundle["entry"]!.AsArray().Select(e => e!["resource"]!.AsObject());

    private static JsonObject Observation(JsonObject bundle, string code) =>
        Resources(bundle).First(r => (string?)r["code"]?["coding"]?[0]?["code"] == code);

    private static void Drop(JsonObject bundle, JsonObject resource)
    {
        var entries = bundle["entry"]!.AsArray();
        entries.Remove(entries.First(e => ReferenceEquals(e!["resource"], resource)));
    }

    // The same Bundle as a server would hold it: ids, http fullUrls and relative references.
    private static JsonObject WithRelativeReferences(JsonObject bundle)
    {
        var text = bundle.ToJsonString();
        var n = 0;
        foreach (var entry in bundle["entry"]!.AsArray())
        {
            var type = (string)entry!["resource"]!["resourceType"]!;
            var id = $"r{n++}";
            text = text.Replace($"\"{(string)entry["fullUrl"]!}\"", $"\"{type}/{id}\"", StringComparison.Ordinal);
        }
        var relative = JsonNode.Parse(text)!.AsObject();
        foreach (var entry in relative["entry"]!.AsArray())
        {
            var url = (string)entry!["fullUrl"]!;
            entry["resource"]!["id"] = url.Split('/')[1];
            entry["fullUrl"] = "http://ehr.example/fhir/" + url;
        }
        return relative;
    }

    [Fact]
    public void Relative_references_resolve_by_type_and_id()
    {
        var bundle = WithRelativeReferences(Written("exacerbation"));
        Assert.Contains("\"reference\":\"Patient/r", bundle.ToJsonString());

        var submission = PasRequestReader.Read(bundle.ToJsonString(), ValueSets.Shipped);

        Assert.True(submission.Kind == SubmissionKind.Ivig, string.Join("; ", submission.Problems));
        var again = Examples.Read(submission.Request!.ToJsonString());
        Assert.True(JsonNode.DeepEquals(Examples.Canonical(Examples.Request("exacerbation")), Examples.Canonical(again)));
    }

    [Fact]
    public void Weight_in_pounds_height_in_metres_and_an_older_eGFR_code_are_read()
    {
        var bundle = Written("exacerbation");
        Observation(bundle, "29463-7")["valueQuantity"] = new JsonObject { ["value"] = 180, ["unit"] = "lb", ["system"] = Systems.Ucum, ["code"] = "[lb_av]" };
        Observation(bundle, "8302-2")["valueQuantity"] = new JsonObject { ["value"] = 1.65, ["unit"] = "m", ["system"] = Systems.Ucum, ["code"] = "m" };
        Observation(bundle, "98979-8")["code"] = new JsonObject { ["coding"] = new JsonArray(new JsonObject { ["system"] = Systems.Loinc, ["code"] = "62238-1" }) };

        var request = PasRequestReader.Read(bundle.ToJsonString(), ValueSets.Shipped).Request!;

        Assert.Equal(81.6466266m, (decimal)request["member"]!["weightKg"]!);
        Assert.Equal(165m, (decimal)request["member"]!["heightCm"]!);
        Assert.Equal(78m, (decimal)request["clinical"]!["egfr"]!);
    }

    [Fact]
    public void The_NPI_of_a_PractitionerRole_s_practitioner_is_the_provider_s()
    {
        var bundle = Written("exacerbation");
        var claim = Resources(bundle).First();
        claim["provider"] = new JsonObject { ["reference"] = "urn:uuid:00000000-0000-0000-0000-00000000a001" };
        var entries = bundle["entry"]!.AsArray();
        entries.Add(new JsonObject
        {
            ["fullUrl"] = "urn:uuid:00000000-0000-0000-0000-00000000a001",
            ["resource"] = new JsonObject { ["resourceType"] = "PractitionerRole", ["practitioner"] = new JsonObject { ["reference"] = "urn:uuid:00000000-0000-0000-0000-00000000a002" } },
        });
        entries.Add(new JsonObject
        {
            ["fullUrl"] = "urn:uuid:00000000-0000-0000-0000-00000000a002",
            ["resource"] = new JsonObject
            {
                ["resourceType"] = "Practitioner",
                ["identifier"] = new JsonArray(new JsonObject { ["system"] = Systems.Npi, ["value"] = "1987654321" }),
            },
        });

        var request = PasRequestReader.Read(bundle.ToJsonString(), ValueSets.Shipped).Request!;

        Assert.Equal("1987654321", (string)request["provider"]!["npi"]!);
    }

    [Fact]
    public void A_finding_the_Bundle_does_not_carry_is_absent_and_the_rules_can_ask_for_it()
    {
        var bundle = Written("exacerbation");
        Drop(bundle, Observation(bundle, FindingCodes.QmgBaseline));

        var submission = PasRequestReader.Read(bundle.ToJsonString(), ValueSets.Shipped);

        Assert.Equal(SubmissionKind.Ivig, submission.Kind);
        var qmg = submission.Request!["clinical"]!["qmg"]!.AsObject();
        Assert.False(qmg.ContainsKey("baseline"));
        Assert.Equal(16, (int)qmg["current"]!);
        Assert.Null(Examples.Read(submission.Request.ToJsonString()).Clinical.Qmg!.Baseline);
    }

    [Fact]
    public void A_required_field_the_Bundle_does_not_carry_is_rejected_at_the_FHIR_path_it_was_looked_for()
    {
        var bundle = Written("exacerbation");
        Resources(bundle).First(r => (string)r["resourceType"]! == "Patient").Remove("birthDate");
        Drop(bundle, Observation(bundle, "29463-7"));

        var submission = PasRequestReader.Read(bundle.ToJsonString(), ValueSets.Shipped);
        var read = Domain.Requests.RequestReader.Read(submission.Request!.ToJsonString(), Examples.AsOf);

        Assert.False(read.IsValid);
        Assert.False(submission.Request!["member"]!.AsObject().ContainsKey("birthDate"));
        var problems = submission.ProblemsOf(read.Problem!);
        var patient = submission.Bundle!.Entry.FindIndex(e => e.Resource is Patient);
        Assert.Contains(problems, p => p.Path == $"Bundle.entry[{patient}].resource.birthDate" && p.Message.StartsWith("member.birthDate", StringComparison.Ordinal));
        // A weight with no Observation at all points at the member: the Patient.
        Assert.Contains(problems, p => p.Path == $"Bundle.entry[{patient}].resource" && p.Message.StartsWith("member.weightKg", StringComparison.Ordinal));
    }

    [Fact]
    public void A_contract_value_out_of_range_is_rejected_at_the_Observation_that_carried_it()
    {
        var bundle = Written("exacerbation");
        var score = Observation(bundle, FindingCodes.MgAdl);
        score["valueInteger"] = 99;
        var at = Resources(bundle).ToList().IndexOf(score);

        var submission = PasRequestReader.Read(bundle.ToJsonString(), ValueSets.Shipped);
        var read = Domain.Requests.RequestReader.Read(submission.Request!.ToJsonString(), Examples.AsOf);

        var problem = Assert.Single(submission.ProblemsOf(read.Problem!));
        Assert.Equal($"Bundle.entry[{at}].resource.value", problem.Path);
        Assert.StartsWith("clinical.mgAdl.current", problem.Message);
    }

    [Fact]
    public void An_IVIG_item_with_a_second_item_goes_to_a_person()
    {
        var bundle = Written("exacerbation");
        var items = Resources(bundle).First()["item"]!.AsArray();
        var second = items[0]!.DeepClone().AsObject();
        second["sequence"] = 2;
        items.Add(second);

        Assert.Equal(SubmissionKind.OtherService, PasRequestReader.Read(bundle.ToJsonString(), ValueSets.Shipped).Kind);
    }
}
