using System.Text;
using Hl7.Fhir.Model;
using Task = System.Threading.Tasks.Task;
using MgAuth.Api.Infrastructure;

namespace MgAuth.Api.Fhir;

/// <summary>A FHIR request body: <c>application/fhir+json</c> or <c>application/json</c>, refused as an OperationOutcome.</summary>
public static class FhirBody
{
    public static async Task<(string? Json, FhirResponse<OperationOutcome>? Refusal)> ReadAsync(HttpRequest request, RequestLimits limits)
    {
        var body = await RequestBody.JsonAsync(request, limits.MaxFhirRequestBytes, "application/fhir+json", "application/json");
        return (body.IsRefused(out var refused) ? RequestBody.Of(refused) : BodyRefusal.None) switch
        {
            BodyRefusal.UnsupportedMediaType => (null, FhirResponse.Refused(StatusCodes.Status415UnsupportedMediaType, OperationOutcome.IssueType.NotSupported,
                $"Send Content-Type: application/fhir+json (or application/json), not '{request.ContentType ?? "none"}'.")),
            BodyRefusal.TooLarge => (null, FhirResponse.Refused(StatusCodes.Status413PayloadTooLarge, OperationOutcome.IssueType.TooCostly,
                $"A Bundle may be at most {limits.MaxFhirRequestBytes} bytes.")),
            _ => (Encoding.UTF8.GetString(body.Value), null),
        };
    }
}
