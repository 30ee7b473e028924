using System.Text.Json;
using Hl7.Fhir.Model;
using Task = System.Threading.Tasks.Task;
using R4 = Hl7.Fhir.Model;
using MgAuth.Api.Crd;
using MgAuth.Api.Tests.Support;
using MgAuth.Fhir;
using static MgAuth.Api.Tests.Support.CrdCalls;

namespace MgAuth.Api.Tests.Crd;

/// <summary>
/// The Da Vinci CRD test kit's server checks (inferno-framework/davinci-crd-test-kit, server_tests/*) replayed against the
/// order-sign service, each test named after the check's id; and what the kit's calls need besides: an order coded through a
/// <c>medicationReference</c> (CRD's own MedicationRequest example shape), a clinical gap answered as coverage information,
/// and a missing credential refused in CDS Hooks' terms.
/// </summary>
public sealed class CrdKitTests(MgAuthFactory factory) : IClassFixture<MgAuthFactory>
{
    private static readonly string[] Indicators = ["info", "warning", "critical"];

    private static JsonObject IvigHook() => HookRequestOf(Examples.ForNewMember(Examples.Exacerbation));

    private static JsonNode Draft(JsonObject hook) => hook["context"]!["draftOrders"]!["entry"]![0]!["resource"]!;

    [Fact]
    public async Task crd_discovery_services_validation()
    {
        var discovery = await factory.Anonymous().GetOkAsync(Discovery);

        var services = Assert.IsType<JsonArray>(discovery["services"]);
        Assert.NotEmpty(services);
        foreach (var service in services)
            foreach (var field in new[] { "hook", "description", "id" })
                Assert.Equal(JsonValueKind.String, service![field]?.GetValueKind());
        Assert.Contains(services, s => (string)s!["hook"]! == "order-sign");
    }

    [Fact]
    public async Task crd_service_response_validation()
    {
        var answer = await factory.ProviderA.OrderSignOkAsync(IvigHook());

        // cards required; systemActions required for order-sign; each card's required fields with their types.
        var cards = Assert.IsType<JsonArray>(answer["cards"]);
        Assert.IsType<JsonArray>(answer["systemActions"]);
        Assert.NotEmpty(cards);
        foreach (var card in cards)
        {
            Assert.Equal(JsonValueKind.String, card!["summary"]?.GetValueKind());
            Assert.True(((string)card["summary"]!).Length < 140, "summary is over the 140-character limit");
            Assert.Contains((string)card["indicator"]!, Indicators);
            var source = Assert.IsType<JsonObject>(card["source"]);
            Assert.Equal(JsonValueKind.String, source["label"]?.GetValueKind());
            var topic = Assert.IsType<JsonObject>(source["topic"]);
            Assert.Equal(OrderSignHook.CardTypeSystem, (string)topic["system"]!);
            Assert.Equal("coverage-info", (string)topic["code"]!);
        }
        foreach (var action in answer["systemActions"]!.AsArray())
        {
            Assert.Equal(JsonValueKind.String, action!["type"]?.GetValueKind());
            Assert.Equal(JsonValueKind.String, action["description"]?.GetValueKind());
            Assert.IsType<JsonObject>(action["resource"]);
        }
    }

    [Fact]
    public async Task crd_card_optional_fields_validation()
    {
        var answer = await factory.ProviderA.OrderSignOkAsync(IvigHook());

        foreach (var card in answer["cards"]!.AsArray())
        {
            Assert.True(Guid.TryParse((string?)card!["uuid"], out _));
            Assert.Equal(JsonValueKind.String, card["detail"]?.GetValueKind());
            // No suggestions, so no selectionBehavior; no links to check.
            Assert.Null(card["suggestions"]);
            Assert.Null(card["links"]);
        }
    }

    [Fact]
    public async Task crd_valid_instructions_card_received()
    {
        var answer = await factory.ProviderA.OrderSignOkAsync(IvigHook());

        Assert.Contains(answer["cards"]!.AsArray(), card => card!["links"] is null && card["suggestions"] is null);
    }

    [Fact]
    public async Task crd_coverage_info_system_action_validation()
    {
        var answer = await factory.ProviderA.OrderSignOkAsync(IvigHook());

        var (order, _) = Updated(answer);
        // One coverage: one coverage-assertion-id, no satisfied-pa-id disagreeing with it.
        var byCoverage = order.Extension.Where(e => e.Url == CoverageInformation.Url)
            .GroupBy(e => e.Part<R4.ResourceReference>("coverage").Reference).ToArray();
        var group = Assert.Single(byCoverage);
        Assert.Single(group.Select(e => e.Part<R4.FhirString>("coverage-assertion-id").Value).Distinct());
        Assert.True(group.Select(e => e.GetExtensionValue<R4.FhirString>("satisfied-pa-id")?.Value).OfType<string>().Distinct().Count() <= 1);
        FhirCalls.AssertValid(order);
    }

    [Fact]
    public async Task crd_coverage_info_system_action_received()
    {
        var answer = await factory.ProviderA.OrderSignOkAsync(IvigHook());

        Assert.Contains(answer["systemActions"]!.AsArray(), action => (string)action!["type"]! == "update"
            && action["resource"]!["extension"]!.AsArray().Any(e => (string)e!["url"]! == CoverageInformation.Url));
    }

    [Fact]
    public async Task An_order_coded_through_its_medicationReference_is_answered_as_the_same_order_coded_inline()
    {
        var inline = IvigHook();
        var referenced = (JsonObject)inline.DeepClone();
        var draft = Draft(referenced).AsObject();
        var medication = draft["medicationCodeableConcept"]!.DeepClone();
        draft.Remove("medicationCodeableConcept");
        draft["contained"] = new JsonArray(new JsonObject { ["resourceType"] = "Medication", ["id"] = "ivig", ["code"] = medication });
        draft["medicationReference"] = new JsonObject { ["reference"] = "#ivig" };
        Assert.Contains(medication["coding"]!.AsArray(), c => (string)c!["system"]! == Systems.Hcpcs);

        var (_, expected) = Updated(await factory.ProviderA.OrderSignOkAsync(inline));
        var answer = await factory.ProviderA.OrderSignOkAsync(referenced);

        var (order, information) = Updated(answer);
        Assert.Equal(expected.Code("covered"), information.Code("covered"));
        Assert.Equal(expected.Code("pa-needed"), information.Code("pa-needed"));
        Assert.Equal(Systems.Hcpcs, information.Part<R4.Coding>("billingCode").System);
        Assert.Equal("#ivig", ((R4.ResourceReference)order.Medication).Reference);
        FhirCalls.AssertValid(order);
    }

    [Fact]
    public async Task CRDs_example_MedicationRequest_a_contained_non_IVIG_medication_gets_an_empty_answer_beside_the_IVIG_order()
    {
        var example = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "crd-MedicationRequest-example.json")))!;
        var hook = IvigHook();
        var patientRef = "Patient/" + (string)hook["context"]!["patientId"]!;
        example["subject"] = new JsonObject { ["reference"] = patientRef };
        example.AsObject().Remove("encounter");
        example.AsObject().Remove("insurance");
        example.AsObject().Remove("requester");

        // Alone: the guide's example order (azithromycin, medicationReference to a contained Medication) is not MgAuth's.
        var alone = (JsonObject)hook.DeepClone();
        alone["context"]!["draftOrders"]!["entry"] = new JsonArray(new JsonObject { ["resource"] = example.DeepClone() });
        var empty = await factory.ProviderA.OrderSignOkAsync(alone);
        Assert.Empty(empty["cards"]!.AsArray());
        Assert.Empty(empty["systemActions"]!.AsArray());

        // Beside an IVIG order: only the IVIG order is answered.
        hook["context"]!["draftOrders"]!["entry"]!.AsArray().Add(new JsonObject { ["resource"] = example.DeepClone() });
        var answer = await factory.ProviderA.OrderSignOkAsync(hook);
        Assert.Single(answer["cards"]!.AsArray());
        Assert.Equal("medicationCodeableConcept", Updated(answer).Order.Medication is R4.CodeableConcept ? "medicationCodeableConcept" : "other");
    }

    [Fact]
    public async Task A_clinical_gap_is_coverage_information_asking_for_clinical_documentation_never_a_400()
    {
        var hook = IvigHook();
        var observations = hook["prefetch"]!["observations"]!["entry"]!.AsArray();
        var mgfa = observations.First(e => e!["resource"]!["code"]!["coding"]!.AsArray().Any(c => (string)c!["code"]! == FindingCodes.MgfaClass))!;
        observations.Remove(mgfa);
        var rows = factory.CountRows();

        var answer = await factory.ProviderA.OrderSignOkAsync(hook);

        var (order, information) = Updated(answer);
        Assert.Equal(("conditional", "auth-needed", "clinical", "OTH"),
            (information.Code("covered"), information.Code("pa-needed"), information.Code("doc-needed"), information.Code("info-needed")));
        Assert.Contains("diagnosis.mgfaClass", CoverageInformation.MissingFields(information));
        var card = Assert.Single(answer["cards"]!.AsArray())!;
        Assert.Contains("documentation needed", (string)card["summary"]!);
        Assert.Contains("diagnosis.mgfaClass", (string)card["detail"]!);
        Assert.Equal("coverage-info", (string)card["source"]!["topic"]!["code"]!);
        Assert.Equal(rows, factory.CountRows());
        FhirCalls.AssertValid(order);
    }

    [Fact]
    public async Task A_value_that_is_there_and_wrong_is_still_the_EHRs_error_to_fix()
    {
        var hook = IvigHook();
        Draft(hook)["dosageInstruction"]![0]!["timing"]!["repeat"]!["count"] = 99;

        using var response = await factory.ProviderA.PostHookAsync(hook);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Without_a_credential_the_401_speaks_CDS_Hooks_not_API_keys()
    {
        using var response = await factory.Anonymous().PostHookAsync(IvigHook());

        var problem = await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("A signed CDS Hooks call is required", (string)problem["title"]!);
        Assert.Contains("JWT", (string)problem["detail"]!);
        Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString());
        // Elsewhere an API key or an access token is what is asked for.
        using var v1 = await factory.Anonymous().PostJsonAsync("/v1/evaluate", Examples.ForNewMember(Examples.Exacerbation));
        Assert.Equal("Sign-in is required", (string)(await v1.AssertProblemAsync(HttpStatusCode.Unauthorized))["title"]!);
    }

    [Fact]
    public async Task Discovery_offers_a_configuration_option_for_each_card_type_returned()
    {
        var discovery = await factory.Anonymous().GetOkAsync(Discovery);

        var options = discovery["services"]![0]!["extension"]!["davinci-crd.configuration-options"]!.AsArray();
        var option = Assert.Single(options)!;
        Assert.Equal("coverage-info", (string)option["code"]!);
        Assert.Equal("boolean", (string)option["type"]!);
        Assert.False(string.IsNullOrEmpty((string?)option["name"]));
        Assert.False(string.IsNullOrEmpty((string?)option["description"]));
        Assert.True((bool)option["default"]!);
    }

    [Theory]
    [InlineData("false", 0)]
    [InlineData("true", 1)]
    [InlineData("\"no\"", 1)]
    [InlineData("17", 1)]
    public async Task The_coverage_info_option_turns_the_card_off_but_never_the_coverage_information(string value, int cards)
    {
        var hook = IvigHook();
        hook["extension"] = JsonNode.Parse("{\"davinci-crd.configuration\": {\"coverage-info\": " + value + ", \"unknown-option\": 3} }");

        var answer = await factory.ProviderA.OrderSignOkAsync(hook);

        Assert.Equal(cards, answer["cards"]!.AsArray().Count);
        Updated(answer);
    }

    [Fact]
    public void Gaps_are_only_missing_facts()
    {
        Assert.Equal(["diagnosis.mgfaClass", "indication"],
            OrderSignHook.Gaps(new Dictionary<string, string[]> { ["indication"] = ["is required"], ["diagnosis.mgfaClass"] = ["is required"] }));
        Assert.Null(OrderSignHook.Gaps(new Dictionary<string, string[]> { ["indication"] = ["is required"], ["regimen.infusionDays"] = ["must be at most 5"] }));
        Assert.Null(OrderSignHook.Gaps(new Dictionary<string, string[]>()));
    }
}
