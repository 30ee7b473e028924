using Hl7.Fhir.Model;
using MgAuth.Domain.Requests;

namespace MgAuth.Fhir;

/// <summary>
/// A completed QuestionnaireResponse to <see cref="DtrQuestionnaire"/> for a contract request: what a DTR client
/// sends when the questionnaire is filled in for it (the facts a PAS Bundle's standard codes cannot carry). The
/// contract knows the MG-ADL total, not its items: the items are written as a split of the total (each 0-3, in the
/// scale's order) whose sum is that total. Read back by the PAS reader to the same contract fields.
/// </summary>
public static class QuestionnaireResponseWriter
{
    /// <param name="terminology">The value sets of the release the questionnaire was asked under (its answer codes).</param>
    public static QuestionnaireResponse Write(AuthorizationRequest request, ResourceReference patient, DateTimeOffset authored, ValueSets terminology)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(terminology);
        var response = new QuestionnaireResponse
        {
            Questionnaire = DtrQuestionnaire.Canonical,
            Status = QuestionnaireResponse.QuestionnaireResponseStatus.Completed,
            Subject = patient,
            Authored = authored.ToString("yyyy-MM-dd'T'HH:mm:ssK", System.Globalization.CultureInfo.InvariantCulture),
        };
        var questions = DtrQuestionnaire.Questions(terminology);
        var answered = new Dictionary<string, DataType>(StringComparer.Ordinal)
        {
            ["indication"] = FindingCodes.Indications.Coding(request.Indication),
            ["regimen.infusionDays"] = new Integer(request.Regimen.InfusionDays),
        };
        foreach (var field in ObservedFields.All)
            if (questions.TryGetValue(field.Path, out var question) && field.Read(request) is { } value)
                answered[field.Path] = Answer(field.Value.Write(value), question);
        if (request.Clinical.MgAdl?.Current is { } total)
        {
            answered.Remove("clinical.mgAdl.current");
            var left = total;
            foreach (var item in DtrQuestionnaire.MgAdlItems)
            {
                var score = Math.Min(3, left);
                answered[item.LinkId] = new Integer(score);
                left -= score;
            }
            answered["clinical.mgAdl.current"] = new Integer(total);
        }
        foreach (var group in DtrQuestionnaire.Items(terminology))
        {
            if (group.LinkId == "priorTherapies") continue;
            var items = group.Items.Where(i => answered.ContainsKey(i.LinkId))
                .Select(i => new QuestionnaireResponse.ItemComponent { LinkId = i.LinkId, Answer = [new() { Value = answered[i.LinkId] }] }).ToList();
            if (items.Count > 0) response.Item.Add(new QuestionnaireResponse.ItemComponent { LinkId = group.LinkId, Item = items });
        }
        foreach (var therapy in request.PriorTherapies)
        {
            var group = new QuestionnaireResponse.ItemComponent { LinkId = "priorTherapies" };
            group.Item.Add(Answered("priorTherapies.agent", new FhirString(therapy.Agent)));
            group.Item.Add(Answered("priorTherapies.outcome", FindingCodes.TherapyOutcomes.Coding(therapy.Outcome)));
            if (therapy.Months is { } months) group.Item.Add(Answered("priorTherapies.months", new FhirDecimal(months)));
            response.Item.Add(group);
        }
        return response;
    }

    // An Observation value as the item's answer type: a concept's coding, a quantity's number.
    private static DataType Answer(DataType value, QuestionItem question) => value switch
    {
        CodeableConcept concept => concept.Coding[0],
        Quantity quantity when question.Type == Questionnaire.QuestionnaireItemType.Decimal => new FhirDecimal(quantity.Value),
        _ => value,
    };

    private static QuestionnaireResponse.ItemComponent Answered(string linkId, DataType value) =>
        new() { LinkId = linkId, Answer = [new QuestionnaireResponse.AnswerComponent { Value = value }] };
}
