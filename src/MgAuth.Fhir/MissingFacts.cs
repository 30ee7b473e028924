using Hl7.Fhir.Model;

namespace MgAuth.Fhir;

/// <summary>
/// A PAS request for IVIG that names the member, the coverage and the item but leaves out contract fields the
/// contract requires: the facts are missing, the request is not malformed. They are named for the EHR as a
/// CommunicationRequest (attached to the ClaimResponse) whose payload names each missing field, the DTR
/// questionnaire item that answers it, and the questionnaire itself.
/// </summary>
public static class MissingFacts
{
    /// <inheritdoc cref="MgAuth.Domain.Requests.IncompleteRequest.MissingOnly"/>
    public static IReadOnlyList<string>? Of(IReadOnlyDictionary<string, string[]> errors) => MgAuth.Domain.Requests.IncompleteRequest.MissingOnly(errors);

    /// <summary>
    /// The questionnaire item that answers a contract field (<c>priorTherapies[0].outcome</c> → <c>priorTherapies.outcome</c>)
    /// in the questionnaire <paramref name="terminology"/> (the release in force's value sets) builds, or null.
    /// </summary>
    public static string? QuestionFor(string field, ValueSets terminology) => QuestionFor(field, DtrQuestionnaire.Questions(terminology));

    private static string? QuestionFor(string field, IReadOnlyDictionary<string, QuestionItem> questions)
    {
        var linkId = System.Text.RegularExpressions.Regex.Replace(field, @"\[\d+\]", "");
        return questions.ContainsKey(linkId) ? linkId : null;
    }

    /// <summary>
    /// The CommunicationRequest asking the provider for the missing facts: one payload per field (the field, its
    /// question's text and linkId in the questionnaire <paramref name="terminology"/> builds), and a last one naming the
    /// questionnaire to fill in.
    /// </summary>
    public static CommunicationRequest Request(IReadOnlyList<string> missing, ValueSets terminology, ResourceReference patient,
        ResourceReference claim, ResourceReference? provider, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(missing);
        var questions = DtrQuestionnaire.Questions(terminology);
        var request = new CommunicationRequest
        {
            Status = RequestStatus.Active,
            Subject = patient,
            About = [claim],
            AuthoredOn = at.ToString("yyyy-MM-dd'T'HH:mm:ssK", System.Globalization.CultureInfo.InvariantCulture),
            Recipient = provider is null ? [] : [provider],
            ReasonCode = [new CodeableConcept { Text = "Information the IVIG policy needs is missing from the request" }],
        };
        foreach (var field in missing)
        {
            var text = QuestionFor(field, questions) is { } linkId
                ? $"{field}: {questions[linkId].Text} (questionnaire item '{linkId}' of {DtrQuestionnaire.Canonical})"
                : $"{field}: send it with the request";
            request.Payload.Add(new CommunicationRequest.PayloadComponent { Content = new FhirString(text) });
        }
        request.Payload.Add(new CommunicationRequest.PayloadComponent
        {
            Content = new Attachment { ContentType = "application/fhir+json", Url = DtrQuestionnaire.Url, Title = "DTR questionnaire " + DtrQuestionnaire.Canonical },
        });
        return request;
    }

    /// <summary>Adds the CommunicationRequest to a PAS response Bundle: an entry, referenced from the ClaimResponse, and a note.</summary>
    public static Bundle Attach(Bundle response, IReadOnlyList<string> missing, ValueSets terminology, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(missing);
        var claimResponse = (ClaimResponse)response.Entry[0].Resource!;
        var request = Request(missing, terminology, claimResponse.Patient, claimResponse.Request ?? new ResourceReference(response.Entry[0].FullUrl), claimResponse.Requestor, at);
        var url = "urn:uuid:" + Guid.NewGuid();
        response.Entry.Add(new Bundle.EntryComponent { FullUrl = url, Resource = request });
        claimResponse.CommunicationRequest.Add(new ResourceReference(url));
        claimResponse.Disposition = "Pended: information missing";
        claimResponse.ProcessNote.Add(new ClaimResponse.NoteComponent
        {
            Number = claimResponse.ProcessNote.Count + 1,
            Type = NoteType.Display,
            Text = "Information missing: " + string.Join(", ", missing) + $". Answer the DTR questionnaire {DtrQuestionnaire.Canonical} and send the request again.",
        });
        return response;
    }
}
