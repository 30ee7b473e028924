using Hl7.Fhir.Model;
using MgAuth.Domain.Requests;

namespace MgAuth.Fhir.Tests;

/// <summary>
/// A PAS request Bundle as an EHR with DTR sends it: what the questionnaire asks leaves MgAuth's own codes (its
/// finding Observations, the order's indication and infusion days, the therapies' outcomes and months) and arrives
/// as a QuestionnaireResponse in supportingInfo instead; standard data (LOINC weight, height, eGFR) stays.
/// </summary>
public static class DtrBundles
{
    /// <summary>The Bundle with the questionnaire's facts taken out; <paramref name="answers"/> null leaves them out altogether.</summary>
    public static Bundle WithQuestionnaire(Bundle bundle, QuestionnaireResponse? answers)
    {
        var asked = Asked();
        var claim = (Claim)bundle.Entry[0].Resource!;
        var removed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in bundle.Entry.ToArray())
            switch (entry.Resource)
            {
                case Observation observation when observation.Code.Coding.Any(c => c.System == FindingCodes.System && asked.Contains(c.Code ?? "")):
                    bundle.Entry.Remove(entry);
                    removed.Add(entry.FullUrl ?? "");
                    break;
                case MedicationRequest order when order.Intent == MedicationRequest.MedicationRequestIntent.Order:
                    order.ReasonCode.Clear();
                    foreach (var dosage in order.DosageInstruction)
                        if (dosage.Timing?.Repeat is { } repeat) repeat.Count = null;
                    break;
                case MedicationStatement statement when statement.StatusReason.Any(r => r.Coding.Any(c => c.System == FindingCodes.System)):
                    statement.StatusReason.Clear();
                    statement.Dosage.Clear();
                    break;
            }
        claim.SupportingInfo.RemoveAll(i => i.Value is ResourceReference r && removed.Contains(r.Reference ?? ""));
        if (answers is not null)
        {
            var url = "urn:uuid:" + Guid.NewGuid();
            bundle.Entry.Add(new Bundle.EntryComponent { FullUrl = url, Resource = answers });
            claim.SupportingInfo.Add(new Claim.SupportingInformationComponent
            {
                Sequence = claim.SupportingInfo.Count + 1,
                Category = new CodeableConcept("http://hl7.org/fhir/us/davinci-pas/CodeSystem/PASTempCodes", "additionalInformation"),
                Value = new ResourceReference(url),
            });
        }
        return bundle;
    }

    /// <summary>The Bundle a DTR-equipped EHR sends for a contract request: standard codes plus the filled questionnaire.</summary>
    public static Bundle Write(AuthorizationRequest request, DateTimeOffset now)
    {
        var bundle = PasRequestWriter.Write(request, now);
        var patient = ((Claim)bundle.Entry[0].Resource!).Patient;
        return WithQuestionnaire(bundle, QuestionnaireResponseWriter.Write(request, patient, now, ValueSets.Shipped));
    }

    // The finding codes the questionnaire asks (each question's MgAuth code).
    private static HashSet<string> Asked()
    {
        var questionnaire = DtrQuestionnaire.Build(ValueSets.Shipped, DateTimeOffset.UnixEpoch);
        var codes = new HashSet<string>(StringComparer.Ordinal);
        void Walk(IEnumerable<Questionnaire.ItemComponent> items)
        {
            foreach (var item in items)
            {
                if (item.Type != Questionnaire.QuestionnaireItemType.Group)
                    foreach (var code in item.Code.Where(c => c.System == FindingCodes.System)) codes.Add(code.Code ?? "");
                Walk(item.Item);
            }
        }
        Walk(questionnaire.Item);
        return codes;
    }
}
