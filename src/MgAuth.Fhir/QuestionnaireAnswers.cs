using System.Text.Json.Nodes;
using Hl7.Fhir.Model;
using MgAuth.Domain.Terminology;

namespace MgAuth.Fhir;

/// <summary>
/// The answers of a QuestionnaireResponse to <see cref="DtrQuestionnaire"/> in <c>Claim.supportingInfo</c>, read into
/// the contract request by linkId (each linkId the contract field it answers). What the Bundle's resources already say
/// is kept (standard data and MgAuth's own codes win); an answer fills a field they leave absent. A response to any
/// other questionnaire, or one entered in error, is passed over. The MG-ADL total is the sum of its eight items when
/// all eight are answered (a total that disagrees is a problem); else the total as answered.
/// </summary>
internal sealed class QuestionnaireAnswers(ValueSets terminology)
{
    private readonly List<(QuestionnaireResponse Response, string Path)> _responses = [];

    /// <summary>Whether the response answers MgAuth's questionnaire (any version); others are not read.</summary>
    public static bool Answers(QuestionnaireResponse response) =>
        response.Questionnaire?.Split('|')[0] == DtrQuestionnaire.Url
        && response.Status is not (QuestionnaireResponse.QuestionnaireResponseStatus.EnteredInError or QuestionnaireResponse.QuestionnaireResponseStatus.Stopped);

    public void Add(QuestionnaireResponse response, string path) => _responses.Add((response, path));

    public void Apply(ContractRequestBuilder builder, JsonObject request, List<FhirProblem> problems)
    {
        var questions = DtrQuestionnaire.Questions(terminology);
        foreach (var (response, path) in _responses)
        {
            var items = Flatten(response.Item).ToArray();
            foreach (var item in items)
            {
                if (!questions.TryGetValue(item.LinkId ?? "", out var question) || question.Value is null || item.LinkId!.StartsWith("priorTherapies.", StringComparison.Ordinal))
                    continue;
                if (item.LinkId == "clinical.mgAdl.current" || DtrQuestionnaire.MgAdlItems.Any(i => i.LinkId == item.LinkId)) continue;
                if (Has(request, item.LinkId) || item.Answer.FirstOrDefault()?.Value is not { } answer) continue;
                var at = AnswerPath(path, item.LinkId);
                if (question.Value.Read(AsObserved(answer, question), out var error) is { } value) builder.Set(item.LinkId, value, at);
                else problems.Add(new FhirProblem(at, $"{item.LinkId} {error}"));
            }
            MgAdl(builder, request, items, path, problems);
            Therapies(request, response, path, problems, builder);
        }
    }

    private static void MgAdl(ContractRequestBuilder builder, JsonObject request, QuestionnaireResponse.ItemComponent[] items, string path, List<FhirProblem> problems)
    {
        if (Has(request, "clinical.mgAdl.current")) return;
        var scores = DtrQuestionnaire.MgAdlItems.Select(i => items.FirstOrDefault(a => a.LinkId == i.LinkId)?.Answer.FirstOrDefault()?.Value).ToArray();
        var total = items.FirstOrDefault(a => a.LinkId == "clinical.mgAdl.current")?.Answer.FirstOrDefault()?.Value as Integer;
        var totalPath = AnswerPath(path, "clinical.mgAdl.current");
        if (scores.All(s => s is Integer { Value: >= 0 and <= 3 }))
        {
            var sum = scores.Sum(s => ((Integer)s!).Value!.Value);
            if (total?.Value is { } given && given != sum)
                problems.Add(new FhirProblem(totalPath, $"clinical.mgAdl.current is {given}, but the eight MG-ADL items add up to {sum}"));
            else builder.Set("clinical.mgAdl.current", sum, path + ".repeat(item).where(linkId.startsWith('clinical.mgAdl.')).answer");
            return;
        }
        foreach (var (score, i) in scores.Select((s, i) => (s, i)).Where(x => x.s is not null and not Integer { Value: >= 0 and <= 3 }))
            problems.Add(new FhirProblem(AnswerPath(path, DtrQuestionnaire.MgAdlItems[i].LinkId), "an MG-ADL item is scored 0 to 3 (valueInteger)"));
        if (total?.Value is { } answered) builder.Set("clinical.mgAdl.current", answered, totalPath);
    }

    // Each answered therapy completes the one the Bundle's medication records name with the same agent, or is added.
    private void Therapies(JsonObject request, QuestionnaireResponse response, string path, List<FhirProblem> problems, ContractRequestBuilder builder)
    {
        var groups = Flatten(response.Item).Where(i => i.LinkId == "priorTherapies").ToArray();
        if (groups.Length == 0) return;
        if (request["priorTherapies"] is not JsonArray therapies) request["priorTherapies"] = therapies = [];
        var questions = DtrQuestionnaire.Questions(terminology);
        for (var g = 0; g < groups.Length; g++)
        {
            var at = $"{path}.repeat(item).where(linkId = 'priorTherapies')[{g}]";
            var answers = groups[g].Item.ToDictionary(i => i.LinkId ?? "", i => i.Answer.FirstOrDefault()?.Value, StringComparer.Ordinal);
            var agent = answers.GetValueOrDefault("priorTherapies.agent") switch
            {
                Coding coding => terminology.Library.Find(ContractFacts.TherapyAgent, coding.System, coding.Code)?.Title ?? coding.Display,
                FhirString text => text.Value,
                _ => null,
            };
            if (agent is null)
            {
                problems.Add(new FhirProblem(at + ".item.where(linkId = 'priorTherapies.agent')", "priorTherapies.agent must be answered (valueCoding or valueString)"));
                continue;
            }
            var therapy = therapies.OfType<JsonObject>().FirstOrDefault(t => string.Equals((string?)t["agent"], agent, StringComparison.OrdinalIgnoreCase));
            var index = therapy is null ? therapies.Count : therapies.IndexOf(therapy);
            if (therapy is null) therapies.Add(therapy = new JsonObject { ["agent"] = agent });
            builder.Source($"priorTherapies[{index}]", at);
            foreach (var (field, linkId) in new[] { ("outcome", "priorTherapies.outcome"), ("months", "priorTherapies.months") })
            {
                if (therapy[field] is not null || answers.GetValueOrDefault(linkId) is not { } answer) continue;
                var answerAt = $"{at}.item.where(linkId = '{linkId}').answer";
                if (questions[linkId].Value!.Read(AsObserved(answer, questions[linkId]), out var error) is { } value)
                {
                    therapy[field] = value;
                    builder.Source($"priorTherapies[{index}].{field}", answerAt);
                }
                else problems.Add(new FhirProblem(answerAt, $"priorTherapies[{index}].{field} {error}"));
            }
        }
    }

    // The answer as the Observation value the field's reader takes: a Coding as a concept, a decimal in the item's unit.
    private static DataType AsObserved(DataType answer, QuestionItem question) => answer switch
    {
        Coding coding => new CodeableConcept { Coding = [coding] },
        FhirDecimal { Value: { } number } when question.Unit is { } unit => new Quantity { Value = number, System = Systems.Ucum, Code = unit, Unit = unit },
        Integer { Value: { } whole } when question.Unit is { } unit => new Quantity { Value = whole, System = Systems.Ucum, Code = unit, Unit = unit },
        _ => answer,
    };

    private static bool Has(JsonObject request, string path)
    {
        JsonNode? node = request;
        foreach (var name in path.Split('.')) node = node is JsonObject o ? o[name] : null;
        return node is not null;
    }

    private static string AnswerPath(string path, string linkId) => $"{path}.repeat(item).where(linkId = '{linkId}').answer";

    private static IEnumerable<QuestionnaireResponse.ItemComponent> Flatten(IEnumerable<QuestionnaireResponse.ItemComponent> items) =>
        items.SelectMany(i => (IEnumerable<QuestionnaireResponse.ItemComponent>)[i, .. Flatten(i.Item), .. i.Answer.SelectMany(a => Flatten(a.Item))]);
}
