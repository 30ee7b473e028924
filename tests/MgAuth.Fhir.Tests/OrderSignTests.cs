using System.Text.Json.Nodes;
using Hl7.Fhir.Model;

namespace MgAuth.Fhir.Tests;

/// <summary>CRD order-sign: every contract example survives contract → hook request → contract unchanged; the EHR's extra data is sorted out.</summary>
public class OrderSignTests
{
    private static DraftIvigOrder ReadOne(JsonObject hook)
    {
        var sign = OrderSignReader.Read(hook.ToJsonString(), ValueSets.Shipped);
        Assert.True(sign.IsValid, string.Join("; ", sign.Problems) + string.Join(", ", sign.MissingPrefetch));
        var order = Assert.Single(sign.Orders);
        Assert.True(order.Submission.Kind == SubmissionKind.Ivig, string.Join("; ", order.Problems));
        return order;
    }

    [Theory]
    [MemberData(nameof(Examples.Names), MemberType = typeof(Examples))]
    public void An_example_request_comes_back_from_its_order_sign_request_as_the_same_request(string name)
    {
        var request = Examples.Request(name);

        var order = ReadOne(OrderSignWriter.Write(request, DateTimeOffset.UtcNow));

        var expected = Examples.Canonical(request);
        var actual = Examples.Canonical(Examples.Read(order.Submission.Request!.ToJsonString()));
        Assert.True(JsonNode.DeepEquals(expected, actual), $"expected {expected}\nactual   {actual}");
    }

    [Fact]
    public void The_latest_observation_of_a_finding_is_read_and_unrelated_records_are_left_out()
    {
        var hook = OrderSignWriter.Write(Examples.Request("exacerbation"), DateTimeOffset.UtcNow);
        var observations = hook["prefetch"]!["observations"]!["entry"]!.AsArray();
        var weight = observations.Select(e => e!["resource"]!).Single(r => (string)r["code"]!["coding"]![0]!["code"]! == "29463-7");
        var older = weight.DeepClone();
        older["id"] = "older-weight";
        older["effectiveDateTime"] = "2020-01-01";
        older["valueQuantity"]!["value"] = 120;
        weight["effectiveDateTime"] = "2026-11-20";
        observations.Add(new JsonObject { ["resource"] = older });
        hook["prefetch"]!["medicationStatements"]!["entry"]!.AsArray().Add(new JsonObject
        {
            ["resource"] = new JsonObject
            {
                ["resourceType"] = "MedicationStatement", ["id"] = "amlodipine", ["status"] = "active",
                ["medicationCodeableConcept"] = new JsonObject { ["text"] = "amlodipine" },
                ["subject"] = new JsonObject { ["reference"] = "Patient/" + (string)hook["context"]!["patientId"]! },
            },
        });

        var request = Examples.Read(ReadOne(hook).Submission.Request!.ToJsonString());

        Assert.Equal(78.0m, request.Member.WeightKg);
        Assert.Equal(["pyridostigmine", "prednisone"], request.PriorTherapies.Select(t => t.Agent));
    }

    [Fact]
    public void A_problem_in_the_draft_order_is_named_at_its_place_in_the_hook_request()
    {
        var hook = OrderSignWriter.Write(Examples.Request("exacerbation"), DateTimeOffset.UtcNow);
        hook["context"]!["draftOrders"]!["entry"]![0]!["resource"]!["dosageInstruction"]![0]!["doseAndRate"]![0]!["doseQuantity"]!["code"] = "mL";

        var order = Assert.Single(OrderSignReader.Read(hook.ToJsonString(), ValueSets.Shipped).Orders);

        Assert.Equal(SubmissionKind.Invalid, order.Submission.Kind);
        Assert.Equal(["context.draftOrders.entry[0].resource.dosageInstruction[0].doseAndRate[0].doseQuantity"], order.Problems.Select(p => p.Path));
    }

    [Fact]
    public void Draft_orders_for_other_services_give_no_orders_and_need_no_prefetch()
    {
        var hook = OrderSignWriter.Write(Examples.Request("exacerbation"), DateTimeOffset.UtcNow);
        hook["context"]!["draftOrders"]!["entry"]![0]!["resource"]!["medicationCodeableConcept"] = new JsonObject { ["text"] = "amlodipine" };
        hook.Remove("prefetch");

        var sign = OrderSignReader.Read(hook.ToJsonString(), ValueSets.Shipped);

        Assert.True(sign.IsValid);
        Assert.Empty(sign.Orders);
    }

    [Fact]
    public void The_coverage_information_of_a_pend_for_documentation_is_valid_R4()
    {
        var order = ReadOne(OrderSignWriter.Write(Examples.Request("exacerbation"), DateTimeOffset.UtcNow));
        var (_, decision) = Decisions.Decide("exacerbation", r =>
        {
            r["clinical"]!["mgAdl"]!.AsObject().Remove("baseline");
            r["clinical"]!["qmg"]!.AsObject().Remove("baseline");
        });
        Assert.Equal(["clinical.mgAdl.baseline", "clinical.qmg.baseline"], decision.MissingDocumentation.Order());

        var annotated = CoverageInformation.Annotate(order.Draft, order.Coverage, decision, "assertion-1", DateTimeOffset.UtcNow);

        var information = Assert.Single(annotated.Extension, e => e.Url == CoverageInformation.Url);
        Assert.Equal(decision.MissingDocumentation, CoverageInformation.MissingFields(information));
        Assert.Equal(("conditional", "clinical"), (information.GetExtensionValue<Code>("covered").Value, information.GetExtensionValue<Code>("doc-needed").Value));
        Assert.Empty(FhirValidation.Errors(annotated));
    }
}
