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

namespace MgAuth.Api.Crd;

/// <summary>
/// CRD order-sign: each IVIG draft order read with its prefetch through the PAS mapping (<see cref="OrderSignReader"/>),
/// decided in evaluate mode (<see cref="AuthorizationService.EvaluateAsync"/>: nothing stored, history limited to what the
/// caller may see, one <c>evaluations</c> row per order), and answered as CDS Hooks JSON: one info card, and one
/// <c>update</c> system action per order whose resource is the draft carrying CRD's coverage-information extension.
/// Draft orders for anything but IVIG get no response content.
/// </summary>
internal sealed class OrderSignHook(AuthorizationService authorizations, EvaluationAudit audit, TimeProvider clock)
{
    public const string ServiceId = "mgauth-ivig-order-sign";

    public async Task<Results<JsonHttpResult<JsonObject>, JsonHttpResult<ProblemDocument>>> AnswerAsync(string json, Caller caller,
        CancellationToken cancellationToken)
    {
        var sign = OrderSignReader.Read(json);
        if (sign.Problems.Count > 0) return Invalid(sign.Problems);
        if (sign.MissingPrefetch.Count > 0)
            return Problems.For(new Refusal(RefusalKind.PrefetchRequired, "The prefetch MgAuth needs is missing",
                "MgAuth does not query the EHR's FHIR server: send the prefetch its discovery document asks for.")
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
            if (evaluated.IsRefused(out var rejected)) return Invalid(order.ProblemsOf(rejected.Errors));
            var decision = evaluated.Value;

            var annotated = CoverageInformation.Annotate(order.Draft, order.Coverage, decision, "mgauth-" + Guid.NewGuid().ToString("N"), clock.GetUtcNow());
            cards.Add(Card(order.Draft, decision));
            actions.Add(new JsonObject
            {
                ["type"] = "update",
                ["description"] = "Coverage information for the IVIG order (Da Vinci CRD)",
                ["resource"] = JsonNode.Parse(FhirResponse.Serializer.SerializeToString(annotated)),
            });
        }
        return TypedResults.Json(new JsonObject { ["cards"] = cards, ["systemActions"] = actions });
    }

    private static JsonObject Card(MedicationRequest draft, Decision decision)
    {
        var product = (draft.Medication as CodeableConcept)?.Text ?? "IVIG";
        var verdict = decision.Outcome switch
        {
            Outcome.Approve => "would be approved",
            Outcome.Deny => "would be denied",
            _ when decision.MissingDocumentation.Count > 0 => $"{decision.MissingDocumentation.Count} item(s) of documentation missing",
            _ => "would be reviewed by a clinician",
        };
        var summary = $"{product}: prior authorization required; {verdict}";
        var detail = new StringBuilder($"MgAuth evaluated this order under policy {decision.Policy.Id} {decision.Policy.Version}.");
        foreach (var reason in decision.Reasons) detail.Append(CultureInfo.InvariantCulture, $"\n\n- {reason.Message} ({reason.Code}, {reason.PolicyRef})");
        foreach (var missing in decision.MissingDocumentation)
            detail.Append($"\n\n- Missing: `{missing}`"
                + (ContractFieldMap.ForMissing(missing) is { } field ? $", sent as {ContractFieldMap.SendAs(field)}" : ""));
        return new JsonObject
        {
            ["uuid"] = Guid.NewGuid().ToString("D"),
            ["summary"] = summary.Length <= 140 ? summary : summary[..139] + "…",
            ["detail"] = detail.ToString(),
            ["indicator"] = "info",
            ["source"] = new JsonObject { ["label"] = "MgAuth prior authorization" },
        };
    }

    private static JsonHttpResult<ProblemDocument> Invalid(IEnumerable<FhirProblem> problems) =>
        Problems.For(new Refusal(RefusalKind.InvalidCdsRequest, "The order-sign request cannot be read",
            "Each error names the place in the CDS Hooks request (context.draftOrders…, prefetch…) that is wrong.")
        {
            Errors = problems.GroupBy(p => p.Path).ToDictionary(g => g.Key, g => g.Select(p => p.Message).ToArray()),
        });
}
