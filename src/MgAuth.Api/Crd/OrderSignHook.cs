using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using MgAuth.Api.Authorizations;
using MgAuth.Api.Fhir;
using MgAuth.Api.Infrastructure;
using MgAuth.Api.Security;
using MgAuth.Cases;
using MgAuth.Domain.Decisions;
using MgAuth.Domain.Requests;
using MgAuth.Fhir;
using Microsoft.AspNetCore.Http.HttpResults;
using MgAuth.Cases.Authorizations;
using MgAuth.Cases.Security;
using MgAuth.Cases.Releases;

namespace MgAuth.Api.Crd;

/// <summary>
/// CRD order-sign: each IVIG draft order read with its prefetch through the PAS mapping (<see cref="OrderSignReader"/>),
/// decided in evaluate mode (<see cref="AuthorizationService.EvaluateAsync"/>: nothing stored, history limited to what the
/// caller may see, one <c>evaluations</c> row per order), and answered as CDS Hooks JSON: one info card, and one
/// <c>update</c> system action per order whose resource is the draft carrying CRD's coverage-information extension.
/// Codes are read with the value sets of the release in force, as <c>Claim/$submit</c> reads them. Where documentation
/// the DTR questionnaire asks is needed, the extension names the questionnaire and the card links to it.
/// Draft orders for anything but IVIG get no response content.
/// </summary>
internal sealed class OrderSignHook(AuthorizationService authorizations, EvaluationAudit audit, FhirServerPrefetch fhirServer, TimeProvider clock,
    ActiveRules active)
{
    public const string ServiceId = "mgauth-ivig-order-sign";

    /// <summary>CRD's card types (<c>source.topic</c>): the code system and MgAuth's one card type.</summary>
    public const string CardTypeSystem = "http://hl7.org/fhir/us/davinci-crd/CodeSystem/temp";

    /// <summary>The card type of every card MgAuth returns.</summary>
    public const string CardType = "coverage-info";

    /// <summary>The longest card summary the CRD kit accepts (CDS Hooks: "&lt;140 characters").</summary>
    public const int MaxSummary = 139;

    /// <param name="serviceBase">The service's public base URL (no trailing slash): the card's link to the questionnaire starts with it.</param>
    public async Task<Results<JsonHttpResult<JsonObject>, JsonHttpResult<ProblemDocument>>> AnswerAsync(string json, Caller caller,
        string serviceBase, CancellationToken cancellationToken)
    {
        var terminology = ValueSets.Of(active.Current.ValueSets);
        var sign = OrderSignReader.Read(json, terminology);
        if (sign.Problems.Count > 0) return Invalid(sign.Problems);
        // Prefetch the EHR did not send is read from its FHIR server, when there is an IVIG order to answer.
        string? notFetched = null;
        if (sign.Orders.Count > 0 || sign.MissingPrefetch.Count > 0)
        {
            if (Node(json) is not { } hook) return Invalid([new FhirProblem("$", "must not name a property twice")]);
            var fetch = await fhirServer.FillAsync(hook, cancellationToken);
            notFetched = fetch.Refusal;
            if (fetch.Fetched.Count > 0)
            {
                sign = OrderSignReader.Read(hook.ToJsonString(), terminology);
                if (sign.Problems.Count > 0) return Invalid(sign.Problems);
            }
        }
        if (sign.MissingPrefetch.Count > 0)
            return Problems.For(new Refusal(RefusalKind.PrefetchRequired, "The prefetch MgAuth needs is missing",
                "Send the prefetch the discovery document asks for, or a fhirServer and fhirAuthorization MgAuth can read it from"
                + (notFetched is null ? "." : $": {notFetched}."))
            {
                Errors = sign.MissingPrefetch.ToDictionary(k => "prefetch." + k, k => new[] { $"is required: {OrderSignReader.Prefetch[k]}" }),
            });
        if (sign.Orders.FirstOrDefault(o => o.Submission.Kind == SubmissionKind.Invalid) is { } unreadable) return Invalid(unreadable.Problems);

        var cards = new JsonArray();
        var actions = new JsonArray();
        foreach (var order in sign.Orders)
        {
            var evaluated = await authorizations.EvaluateAsync(Encoding.UTF8.GetBytes(order.Submission.Request!.ToJsonString()), caller,
                cancellationToken);
            await audit.RecordAsync(caller, evaluated);
            var assertionId = "mgauth-" + Guid.NewGuid().ToString("N");
            MedicationRequest annotated;
            if (evaluated.IsRefused(out var rejected))
            {
                // A clinical gap (facts the contract requires and the record lacks) is an answer: documentation needed.
                // A value that is there and wrong is the EHR's error to fix.
                if (Gaps(rejected.Errors) is not { } missing) return Invalid(order.ProblemsOf(rejected.Errors));
                var questionnaire = Questionnaire(missing, terminology);
                annotated = CoverageInformation.Incomplete(order.Draft, order.Coverage, missing, assertionId, clock.GetUtcNow(), order.Billing, questionnaire);
                cards.Add(WithLink(GapCard(order.Medication, missing), questionnaire, serviceBase));
            }
            else
            {
                var questionnaire = Questionnaire(evaluated.Value.MissingDocumentation, terminology);
                annotated = CoverageInformation.Annotate(order.Draft, order.Coverage, evaluated.Value, assertionId, clock.GetUtcNow(), order.Billing,
                    questionnaire);
                cards.Add(WithLink(Card(order.Medication, evaluated.Value), questionnaire, serviceBase));
            }
            actions.Add(new JsonObject
            {
                ["type"] = "update",
                ["description"] = "Coverage information for the IVIG order (Da Vinci CRD)",
                ["resource"] = JsonNode.Parse(FhirResponse.Serializer.SerializeToString(annotated)),
            });
        }
        // The EHR may turn the card off (CRD's configuration options); the coverage information is always sent (CRD 8.1).
        if (!CardsWanted(json)) cards.Clear();
        return TypedResults.Json(new JsonObject { ["cards"] = cards, ["systemActions"] = actions });
    }

    /// <summary>CRD's <c>davinci-crd.configuration-options</c> for the discovery document: the one card type MgAuth returns.</summary>
    public static JsonArray ConfigurationOptions() =>
    [
        new JsonObject
        {
            ["code"] = CardType,
            ["type"] = "boolean",
            ["name"] = "Coverage information card",
            ["description"] = "Show a card saying whether the IVIG order would be approved and what documentation is missing. Off, "
                + "only the coverage-information system action on the order is returned.",
            ["default"] = true,
        },
    ];

    /// <summary>False only when the call's <c>davinci-crd.configuration</c> sets coverage-info to false; anything else is ignored.</summary>
    internal static bool CardsWanted(string json) =>
        Node(json)?["extension"] is not JsonObject extension
        || extension["davinci-crd.configuration"] is not JsonObject configuration
        || configuration[CardType] is not JsonValue value || !value.TryGetValue<bool>(out var wanted) || wanted;

    // The hook request as a JsonObject (fully materialized); null when it is not one or names a property twice.
    private static JsonObject? Node(string json)
    {
        try
        {
            return JsonNode.Parse(json, documentOptions: new System.Text.Json.JsonDocumentOptions { AllowDuplicateProperties = false }) as JsonObject;
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>The contract paths a refusal names when every one of them is only missing; null when any value is wrong.</summary>
    internal static IReadOnlyList<string>? Gaps(IReadOnlyDictionary<string, string[]> errors) =>
        errors.Count > 0 && errors.Values.All(messages => messages.All(m => m.StartsWith("is required", StringComparison.Ordinal)))
            ? [.. errors.Keys.Order(StringComparer.Ordinal)]
            : null;

    private static string Product(CodeableConcept medication) => medication.Text ?? medication.Coding.FirstOrDefault(c => c.Display is not null)?.Display ?? "IVIG";

    private static JsonObject Card(CodeableConcept medication, Decision decision)
    {
        var verdict = decision.Outcome switch
        {
            Outcome.Approve => "would be approved",
            Outcome.Deny => "would be denied",
            _ when decision.MissingDocumentation.Count > 0 => $"{decision.MissingDocumentation.Count} item(s) of documentation missing",
            _ => "would be reviewed by a clinician",
        };
        var detail = new StringBuilder($"MgAuth evaluated this order under policy {decision.Policy.Id} {decision.Policy.Version}.");
        foreach (var reason in decision.Reasons) detail.Append(CultureInfo.InvariantCulture, $"\n\n- {reason.Message} ({reason.Code}, {reason.PolicyRef})");
        foreach (var missing in decision.MissingDocumentation) detail.Append(Missing(missing));
        return CardOf($"{Product(medication)}: prior authorization required; {verdict}", detail.ToString());
    }

    private static JsonObject GapCard(CodeableConcept medication, IReadOnlyList<string> missing)
    {
        var detail = new StringBuilder("MgAuth cannot evaluate this order yet: the record lacks what the policy reads. Send it with the "
            + "prior authorization request (or answer the DTR questionnaire).");
        foreach (var field in missing) detail.Append(Missing(field));
        return CardOf($"{Product(medication)}: prior authorization required; {missing.Count} item(s) of documentation needed", detail.ToString());
    }

    // The DTR questionnaire's canonical when it asks any of the missing documentation.
    private static string? Questionnaire(IReadOnlyList<string> missing, ValueSets terminology) =>
        DtrQuestionnaire.AsksAny(missing, terminology) ? DtrQuestionnaire.Canonical : null;

    /// <summary>The path the DTR questionnaire is read at (GET, as the release in force asks it).</summary>
    public const string QuestionnairePath = "/fhir/Questionnaire/" + DtrQuestionnaire.Id;

    // CDS Hooks links are absolute (a page) or smart (a SMART app to launch). MgAuth serves no DTR SMART app, so the link
    // is absolute: the questionnaire itself, which the EHR's own DTR client fills in ($questionnaire-package for the order).
    private static JsonObject WithLink(JsonObject card, string? questionnaire, string serviceBase)
    {
        if (questionnaire is null) return card;
        card["links"] = new JsonArray(new JsonObject
        {
            ["label"] = "DTR questionnaire: the documentation needed",
            ["url"] = serviceBase + QuestionnairePath,
            ["type"] = "absolute",
        });
        return card;
    }

    private static string Missing(string field) =>
        $"\n\n- Missing: `{field}`" + (ContractFieldMap.ForMissing(field) is { } mapped ? $", sent as {ContractFieldMap.SendAs(mapped)}" : "");

    // A card of CRD's coverage-info type: Instructions (no links, no suggestions) until a link to the questionnaire is added.
    private static JsonObject CardOf(string summary, string detail) => new()
    {
        ["uuid"] = Guid.NewGuid().ToString("D"),
        ["summary"] = summary.Length <= MaxSummary ? summary : summary[..(MaxSummary - 1)] + "…",
        ["detail"] = detail,
        ["indicator"] = "info",
        ["source"] = new JsonObject
        {
            ["label"] = "MgAuth prior authorization",
            ["topic"] = new JsonObject { ["system"] = CardTypeSystem, ["code"] = CardType, ["display"] = "Coverage Information" },
        },
    };

    private static JsonHttpResult<ProblemDocument> Invalid(IEnumerable<FhirProblem> problems) =>
        Problems.For(new Refusal(RefusalKind.InvalidCdsRequest, "The order-sign request cannot be read",
            "Each error names the place in the CDS Hooks request (context.draftOrders…, prefetch…) that is wrong.")
        {
            Errors = problems.GroupBy(p => p.Path).ToDictionary(g => g.Key, g => g.Select(p => p.Message).ToArray()),
        });
}
