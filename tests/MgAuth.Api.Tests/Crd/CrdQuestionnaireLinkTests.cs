using Hl7.Fhir.Model;
using Task = System.Threading.Tasks.Task;
using MgAuth.Api.Crd;
using MgAuth.Api.Tests.Support;
using MgAuth.Fhir;
using static MgAuth.Api.Tests.Support.CrdCalls;

namespace MgAuth.Api.Tests.Crd;

/// <summary>
/// The gap card's way to the DTR questionnaire: where the documentation needed is what the questionnaire asks, the
/// coverage information names the questionnaire (CRD 2.0.1's <c>questionnaire</c> sub-extension) and the card carries an
/// absolute link an EHR can follow to it (GET /fhir/Questionnaire/ivig-mg). The CRD kit's card checks that apply to a
/// card with links are replayed, each named after its check.
/// </summary>
public sealed class CrdQuestionnaireLinkTests(MgAuthFactory factory) : IClassFixture<MgAuthFactory>
{
    private const string CrdMedicationRequest = "http://hl7.org/fhir/us/davinci-crd/StructureDefinition/profile-medicationrequest";

    // The exacerbation example with its MGFA class left out: a clinical gap the questionnaire asks.
    internal static JsonObject GapHook()
    {
        var hook = HookRequestOf(Examples.ForNewMember(Examples.Exacerbation));
        var observations = hook["prefetch"]!["observations"]!["entry"]!.AsArray();
        observations.Remove(observations.First(e => e!["resource"]!["code"]!["coding"]!.AsArray().Any(c => (string)c!["code"]! == FindingCodes.MgfaClass)));
        return hook;
    }

    private static JsonObject Link(JsonObject answer)
    {
        var card = Assert.Single(answer["cards"]!.AsArray())!;
        return Assert.Single(Assert.IsType<JsonArray>(card["links"]))!.AsObject();
    }

    [Fact]
    public async Task crd_external_reference_card_validation()
    {
        var answer = await factory.ProviderA.OrderSignOkAsync(GapHook());

        // Every link of the card is absolute: the kit's External Reference card.
        var card = Assert.Single(answer["cards"]!.AsArray())!;
        Assert.All(Assert.IsType<JsonArray>(card["links"]), link => Assert.Equal("absolute", (string)link!["type"]!));
    }

    [Fact]
    public async Task crd_card_optional_fields_validation()
    {
        var answer = await factory.ProviderA.OrderSignOkAsync(GapHook());

        // card_links_check: label, type and url present and typed; url an http(s) URL with a host; type absolute or
        // smart; no appContext on an absolute link.
        var link = Link(answer);
        Assert.False(string.IsNullOrEmpty((string?)link["label"]));
        Assert.Contains((string)link["type"]!, new[] { "absolute", "smart" });
        Assert.True(Uri.TryCreate((string?)link["url"], UriKind.Absolute, out var url) && url.Scheme is "http" or "https" && url.Host.Length > 0);
        Assert.Null(link["appContext"]);
        // No suggestions, so no selectionBehavior.
        Assert.Null(answer["cards"]![0]!["suggestions"]);
    }

    [Fact]
    public async Task The_link_is_the_questionnaire_the_coverage_information_names_and_anyone_can_follow_it()
    {
        var answer = await factory.ProviderA.OrderSignOkAsync(GapHook());

        var (order, information) = Updated(answer);
        Assert.Equal("clinical", information.Code("doc-needed"));
        Assert.Equal(DtrQuestionnaire.Canonical, information.Part<Canonical>("questionnaire").Value);
        var errors = MgAuth.Fhir.Tests.FhirValidation.Errors(order, CrdMedicationRequest);
        Assert.True(errors.Count == 0, string.Join("\n", errors));

        using var followed = await factory.Anonymous().GetAsync(new Uri((string)Link(answer)["url"]!).PathAndQuery);
        var questionnaire = await followed.ResourceAsync<Questionnaire>(HttpStatusCode.OK);
        Assert.Equal(DtrQuestionnaire.Canonical, questionnaire.Url + "|" + questionnaire.Version);
        // It asks what the card says is missing.
        Assert.Contains(Items(questionnaire.Item), i => i.LinkId == "diagnosis.mgfaClass");
        FhirCalls.AssertValid(questionnaire);
    }

    [Fact]
    public async Task Documentation_needed_on_a_decided_order_links_the_questionnaire_too()
    {
        var request = Examples.ForNewMember(Examples.Exacerbation);
        request["clinical"]!["mgAdl"]!.AsObject().Remove("baseline");
        request["clinical"]!["qmg"]!.AsObject().Remove("baseline");

        var answer = await factory.ProviderA.OrderSignOkAsync(HookRequestOf(request));

        var (_, information) = Updated(answer);
        Assert.Equal(DtrQuestionnaire.Canonical, information.Part<Canonical>("questionnaire").Value);
        Assert.EndsWith(OrderSignHook.QuestionnairePath, (string)Link(answer)["url"]!);
    }

    [Fact]
    public async Task Nothing_missing_no_questionnaire_and_no_link()
    {
        var answer = await factory.ProviderA.OrderSignOkAsync(HookRequestOf(Examples.ForNewMember(Examples.Exacerbation)));

        var (_, information) = Updated(answer);
        Assert.Equal("covered", information.Code("covered"));
        Assert.DoesNotContain(information.Extension, e => e.Url is "questionnaire" or "doc-needed");
        Assert.Null(answer["cards"]![0]!["links"]);
    }

    [Fact]
    public async Task Another_questionnaire_id_is_a_404_OperationOutcome()
    {
        using var response = await factory.Anonymous().GetAsync("/fhir/Questionnaire/ivig-mg-other");

        var outcome = await response.ResourceAsync<OperationOutcome>(HttpStatusCode.NotFound);
        Assert.Contains(DtrQuestionnaire.Id, outcome.Issue[0].Diagnostics);
    }

    internal static IEnumerable<Questionnaire.ItemComponent> Items(IEnumerable<Questionnaire.ItemComponent> items) =>
        items.SelectMany(i => Items(i.Item).Prepend(i));
}

/// <summary>With <c>CdsHooks:Audience</c> set, the link starts with it: a caller's Host header never chooses where the EHR is sent.</summary>
public sealed class CrdQuestionnaireLinkAudienceTests(CrdQuestionnaireLinkAudienceTests.AudienceFactory factory)
    : IClassFixture<CrdQuestionnaireLinkAudienceTests.AudienceFactory>
{
    public const string Audience = "https://mgauth.payer.example";

    public sealed class AudienceFactory : MgAuthFactory
    {
        protected override IEnumerable<KeyValuePair<string, string?>> Overrides => [new("CdsHooks:Audience", Audience + "/")];
    }

    [Fact]
    public async Task The_link_is_the_configured_public_address_whatever_Host_the_call_names()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, CrdCalls.OrderSign)
        {
            Content = new StringContent(CrdQuestionnaireLinkTests.GapHook().ToJsonString(), System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Host = "attacker.example";

        using var response = await factory.ProviderA.SendAsync(request);

        var answer = (await response.JsonAsync()).AsObject();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var link = Assert.Single(answer["cards"]![0]!["links"]!.AsArray())!;
        Assert.Equal(Audience + OrderSignHook.QuestionnairePath, (string)link["url"]!);
    }
}
