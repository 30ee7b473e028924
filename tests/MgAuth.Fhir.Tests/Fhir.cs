using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace MgAuth.Fhir.Tests;

/// <summary>FHIR JSON in and out, as a client and the facade exchange it.</summary>
public static class Fhir
{
    private static readonly FhirJsonSerializer Serializer = new();

    public static string Json(Resource resource) => Serializer.SerializeToString(resource);

    /// <summary>Writes the request as a PAS Bundle and reads the Bundle's JSON back, as $submit would receive it.</summary>
    public static PasSubmission Submit(Domain.Requests.AuthorizationRequest request) =>
        PasRequestReader.Read(Json(PasRequestWriter.Write(request, new DateTimeOffset(2026, 11, 22, 9, 30, 0, TimeSpan.Zero))), ValueSets.Shipped);
}
