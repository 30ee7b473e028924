using System.Text.RegularExpressions;
using Hl7.Fhir.Model;
using MgAuth.Api.Tests.Support;
using MgAuth.Fhir;
using static MgAuth.Api.Tests.Support.FhirCalls;
using Task = System.Threading.Tasks.Task;

namespace MgAuth.Api.Tests;

/// <summary>
/// README's "An EHR's round trip", step for step, with the files the README sends (examples/round-trip/): CRD order-sign
/// says documentation is needed and links the DTR questionnaire → $questionnaire-package for the order and coverage →
/// the filled QuestionnaireResponse travels in the PAS Bundle → $submit pends it (A4: over the course ceiling, a
/// clinician's to decide) → the clinician denies it through the review endpoints → the final ClaimResponse (A3) arrives
/// at the EHR's rest-hook endpoint. The README's commands are checked to name the same files and endpoints in the same order.
/// </summary>
public sealed class FhirRoundTripTests(LoopbackSubscriptionsFactory factory) : IClassFixture<LoopbackSubscriptionsFactory>
{
    private static string Folder => Path.Combine(Repository.Root, "examples", "round-trip");

    private static string File(string name) => System.IO.File.ReadAllText(Path.Combine(Folder, name));

    // The README's steps as (file or endpoint) marks, in the order its commands use them.
    private static readonly string[] Steps =
    [
        "/cds-services/mgauth-ivig-order-sign", "examples/round-trip/order-sign.json",
        "examples/round-trip/order-sign.json", "/fhir/Questionnaire/\\$questionnaire-package",
        "examples/round-trip/pas-request.json",
        "examples/round-trip/subscription.json", "/fhir/Subscription",
        "/fhir/Claim/\\$submit", "examples/round-trip/pas-request.json",
        "/determination",
        "/v1/subscriptions/",
    ];

    [Fact]
    public void The_README_round_trip_uses_these_files_and_endpoints_in_this_order()
    {
        var readme = System.IO.File.ReadAllText(Path.Combine(Repository.Root, "README.md"));
        var section = Regex.Match(readme, @"\n### An EHR's round trip[^\n]*\n(.*?)(?=\n##+ )", RegexOptions.Singleline);
        Assert.True(section.Success, "README has no \"### An EHR's round trip\" section");
        var at = 0;
        foreach (var step in Steps)
        {
            var found = section.Groups[1].Value.IndexOf(step, at, StringComparison.Ordinal);
            Assert.True(found >= 0, $"the README's round trip does not use {step} after what comes before it");
            at = found + step.Length;
        }
    }

    [Fact]
    public async Task An_EHRs_round_trip_from_CRD_to_the_answer_by_subscription()
    {
        var provider = factory.ProviderA;
        await using var ehr = await NotificationReceiver.StartAsync();

        // 1. CRD order-sign: documentation needed; the card links the DTR questionnaire the coverage information names.
        var hook = JsonNode.Parse(File("order-sign.json"))!.AsObject();
        var crd = await provider.OrderSignOkAsync(hook);
        var (_, information) = CrdCalls.Updated(crd);
        Assert.Equal(("conditional", "clinical"), (information.Code("covered"), information.Code("doc-needed")));
        var missing = CoverageInformation.MissingFields(information);
        // What an EHR's standard codes cannot say (the prior therapies' outcomes too, but without one no therapy is read).
        Assert.Equal(["diagnosis.mgfaClass", "indication", "regimen.infusionDays"], missing);
        Assert.Equal(DtrQuestionnaire.Canonical, information.Part<Canonical>("questionnaire").Value);
        var link = Assert.Single(crd["cards"]![0]!["links"]!.AsArray())!;
        Assert.EndsWith("/fhir/Questionnaire/" + DtrQuestionnaire.Id, (string)link["url"]!);

        // 2. DTR: the questionnaire package for the order and the coverage of the hook (as the README's jq builds the input).
        var input = new JsonObject
        {
            ["resourceType"] = "Parameters",
            ["parameter"] = new JsonArray(
                new JsonObject { ["name"] = "coverage", ["resource"] = hook["prefetch"]!["coverage"]!["entry"]![0]!["resource"]!.DeepClone() },
                new JsonObject { ["name"] = "order", ["resource"] = hook["context"]!["draftOrders"]!["entry"]![0]!["resource"]!.DeepClone() }),
        };
        using var packaged = await provider.PostFhirAsync("/fhir/Questionnaire/$questionnaire-package", input.ToJsonString());
        var package = Assert.IsType<Bundle>(Assert.Single((await packaged.ResourceAsync<Parameters>(HttpStatusCode.OK)).Parameter).Resource);
        var questionnaire = Assert.IsType<Questionnaire>(package.Entry[0].Resource);
        var asked = Crd.CrdQuestionnaireLinkTests.Items(questionnaire.Item).Select(i => i.LinkId).ToHashSet();

        // 3. The filled QuestionnaireResponse answers that questionnaire, everything the card said is missing included.
        var request = JsonNode.Parse(File("pas-request.json"))!.ToJsonString();
        var answers = Parse<Bundle>(request).Entry.Select(e => e.Resource).OfType<QuestionnaireResponse>().Single();
        Assert.Equal(questionnaire.Url + "|" + questionnaire.Version, answers.Questionnaire);
        var answered = Answered(answers.Item).ToArray();
        Assert.All(answered, linkId => Assert.Contains(linkId, asked));
        foreach (var field in missing) Assert.Contains(Regex.Replace(field, @"\[\d+\]", ""), answered);

        // 4. The EHR subscribes once (the README's file, its endpoint the EHR's); the handshake arrives.
        var subscription = JsonNode.Parse(File("subscription.json"))!;
        subscription["channel"]!["endpoint"] = ehr.Url;
        using (var subscribed = await provider.PostFhirAsync("/fhir/Subscription", subscription.ToJsonString()))
            await subscribed.ResourceAsync<Subscription>(HttpStatusCode.Created);
        Assert.Equal("handshake", Value(StatusOf(await ehr.NextAsync()), "type"));

        // 5. PAS $submit: pended (A4), over the course ceiling — a clinician's to decide.
        var submitted = ClaimResponseOf(await provider.SubmitFhirOkAsync(request));
        Assert.Equal(["A4"], submitted.ReviewActions());
        var id = submitted.Id();
        var pended = await provider.GetOkAsync($"/v1/authorizations/{id}");
        Assert.Equal(("pended", "deny"), ((string)pended["status"]!, (string)pended["decision"]!));
        Assert.Contains("DOSE_ABOVE_COURSE_CEILING", pended.Codes());

        // 6. A clinician determines it through the review endpoints.
        await factory.Clinician().DetermineOkAsync(id, ReviewCalls.Deny());

        // 7. The final answer arrives by the subscription: the ClaimResponse, A3, for the same authorization.
        var notification = Parse<Bundle>((await ehr.NextAsync()).Body);
        Assert.Equal("event-notification", Value(StatusOf(notification), "type"));
        var final = ClaimResponseOf(Assert.IsType<Bundle>(notification.Entry[1].Resource));
        Assert.Equal(id, final.Id());
        Assert.Equal(["A3"], final.ReviewActions());
        AssertValid(notification);
    }

    private static IEnumerable<string> Answered(IEnumerable<QuestionnaireResponse.ItemComponent> items) =>
        items.SelectMany(i => (i.Answer.Count > 0 ? [i.LinkId!] : Array.Empty<string>()).Concat(Answered(i.Item)));

    private static Parameters StatusOf(NotificationReceiver.Received received) => StatusOf(Parse<Bundle>(received.Body));

    private static Parameters StatusOf(Bundle notification)
    {
        Assert.Equal(Bundle.BundleType.History, notification.Type);
        return Assert.IsType<Parameters>(notification.Entry[0].Resource);
    }

    private static string? Value(Parameters parameters, string name) => parameters.Parameter.FirstOrDefault(p => p.Name == name)?.Value?.ToString();
}
