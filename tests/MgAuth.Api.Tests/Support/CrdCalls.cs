using Hl7.Fhir.Model;
using MgAuth.Domain.Requests;
using MgAuth.Fhir;

namespace MgAuth.Api.Tests.Support;

/// <summary>The CRD order-sign hook as an EHR calls it: a contract request as the hook request <see cref="OrderSignWriter"/> writes.</summary>
public static class CrdCalls
{
    public const string Discovery = "/cds-services";
    public const string OrderSign = "/cds-services/mgauth-ivig-order-sign";

    public static JsonObject HookRequestOf(JsonNode contractRequest)
    {
        var read = RequestReader.Read(contractRequest.ToJsonString(), DateOnly.FromDateTime(DateTime.UtcNow));
        Assert.True(read.IsValid, contractRequest.ToJsonString());
        return OrderSignWriter.Write(read.Request!, DateTimeOffset.UtcNow);
    }

    public static async Task<HttpResponseMessage> PostHookAsync(this HttpClient client, JsonNode request, string url = OrderSign) =>
        await client.PostAsync(url, new StringContent(request.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));

    /// <summary>Calls order-sign, insisting on 200; the CDS Hooks response.</summary>
    public static async Task<JsonObject> OrderSignOkAsync(this HttpClient client, JsonNode request)
    {
        using var response = await client.PostHookAsync(request);
        var json = await response.JsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"expected 200, got {(int)response.StatusCode}: {json}");
        return json.AsObject();
    }

    /// <summary>The one update action's MedicationRequest and its coverage-information extension.</summary>
    public static (MedicationRequest Order, Extension Information) Updated(JsonObject answer)
    {
        var action = Assert.Single(answer["systemActions"]!.AsArray())!;
        Assert.Equal("update", (string)action["type"]!);
        var order = FhirCalls.Parse<MedicationRequest>(action["resource"]!.ToJsonString());
        return (order, Assert.Single(order.Extension, e => e.Url == CoverageInformation.Url));
    }

    public static string? Code(this Extension information, string name) => information.GetExtensionValue<Code>(name)?.Value;

    /// <summary>The value of a sub-extension (a coverage-information part, or a detail's).</summary>
    public static T Part<T>(this Extension extension, string name) where T : DataType =>
        extension.GetExtensionValue<T>(name) ?? throw new InvalidOperationException($"no {name} of type {typeof(T).Name}");
}
