using System.Text.Json.Nodes;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using MgAuth.Domain.Requests;

namespace MgAuth.Fhir;

/// <summary>
/// A contract request as the CDS Hooks <c>order-sign</c> request an EHR would send MgAuth's CRD service: the PAS request
/// Bundle <see cref="PasRequestWriter"/> writes, taken apart as an EHR holds it — the IVIG MedicationRequest (status draft)
/// and a planned prednisone course as <c>context.draftOrders</c>; the patient, coverage, ordering practitioner (the NPI),
/// conditions, observations, medication statements and planned operation as <see cref="OrderSignReader.Prefetch"/> —
/// every resource with an id and every reference relative. <see cref="OrderSignReader"/> reads it back as the same request.
/// </summary>
public static class OrderSignWriter
{
    private static readonly FhirJsonSerializer Serializer = new();
    private static readonly FhirJsonDeserializer Deserializer = new(new DeserializerSettings());

    public static JsonObject Write(AuthorizationRequest request, DateTimeOffset timestamp)
    {
        ArgumentNullException.ThrowIfNull(request);
        var written = PasRequestWriter.Write(request, timestamp);
        // Ids from the fullUrls; urn:uuid references become Type/id.
        var ids = written.Entry.Select(e => e.FullUrl!["urn:uuid:".Length..]).ToArray();
        var json = Serializer.SerializeToString(written);
        for (var i = 0; i < ids.Length; i++)
            json = json.Replace($"\"urn:uuid:{ids[i]}\"", $"\"{written.Entry[i].Resource!.TypeName}/{ids[i]}\"", StringComparison.Ordinal);
        var bundle = (Bundle)Deserializer.DeserializeResource(json);
        var resources = bundle.Entry.Select((e, i) =>
        {
            e.Resource!.Id = ids[i];
            return e.Resource;
        }).ToArray();
        Resource Find(DataType? reference) => resources.First(r => $"{r.TypeName}/{r.Id}" == ((ResourceReference)reference!).Reference);

        var claim = (Claim)resources[0];
        var patient = (Patient)Find(claim.Patient);
        var item = claim.Item[0];
        var draft = (MedicationRequest)Find(item.GetExtensionValue<ResourceReference>(PasExtensions.RequestedService));
        draft.Status = MedicationRequest.MedicationrequestStatus.Draft;
        draft.Priority = request.Urgency == Urgency.Expedited ? RequestPriority.Stat : RequestPriority.Routine;
        // A draft order carries its own start: the PAS Bundle says it once, in the Claim's item.servicedDate.
        if (draft.DosageInstruction.FirstOrDefault()?.Timing?.Repeat is { } repeat && item.Serviced is Date start)
            repeat.Bounds = new Period { Start = start.Value };
        if (request.Continuation) draft.PriorPrescription = new ResourceReference { Display = "the course before" };

        var prefetch = new JsonObject { ["patient"] = Node(patient), ["coverage"] = Node(Searchset(Find(claim.Insurance[0].Coverage))) };
        // The ordering clinician: a Practitioner with the NPI (the PAS Bundle's requesting Organization carries it).
        var userId = "Practitioner/" + Guid.NewGuid().ToString("D");
        draft.Requester = null;
        if (claim.Provider.Reference is not null)
        {
            var practitioner = new Practitioner { Id = Find(claim.Provider).Id, Identifier = ((Organization)Find(claim.Provider)).Identifier };
            userId = "Practitioner/" + practitioner.Id;
            draft.Requester = new ResourceReference(userId);
            prefetch["user"] = Node(practitioner);
        }
        prefetch["conditions"] = Node(Searchset(new Condition
        {
            Id = Guid.NewGuid().ToString("D"),
            ClinicalStatus = new CodeableConcept("http://terminology.hl7.org/CodeSystem/condition-clinical", "active"),
            Code = (CodeableConcept)claim.Diagnosis[0].Diagnosis.DeepCopy(),
            Subject = new ResourceReference("Patient/" + patient.Id),
        }));

        var findings = claim.SupportingInfo.Select(s => Find(s.Value)).ToArray();
        prefetch["observations"] = Node(Searchset([.. findings.OfType<Observation>()]));
        prefetch["medicationStatements"] = Node(Searchset([.. findings.OfType<MedicationStatement>()]));
        prefetch["plannedProcedures"] = Node(Searchset([.. findings.OfType<ServiceRequest>()]));
        // A planned prednisone course is drafted with the IVIG order.
        var drafts = new Bundle { Type = Bundle.BundleType.Collection };
        foreach (var order in findings.OfType<MedicationRequest>().Prepend(draft))
            drafts.Entry.Add(new Bundle.EntryComponent { Resource = order });

        return new JsonObject
        {
            ["hook"] = OrderSignReader.Hook,
            ["hookInstance"] = Guid.NewGuid().ToString("D"),
            ["context"] = new JsonObject
            {
                ["userId"] = userId,
                ["patientId"] = patient.Id,
                ["draftOrders"] = Node(drafts),
            },
            ["prefetch"] = prefetch,
        };
    }

    private static Bundle Searchset(params Resource[] resources) => new()
    {
        Type = Bundle.BundleType.Searchset,
        Total = resources.Length,
        Entry = [.. resources.Select(r => new Bundle.EntryComponent { FullUrl = $"http://ehr.example/fhir/{r.TypeName}/{r.Id}", Resource = r })],
    };

    private static JsonNode Node(Resource resource) => JsonNode.Parse(Serializer.SerializeToString(resource))!;
}
