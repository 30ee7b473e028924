using System.Text;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using MgAuth.Domain.Requests;
using MgAuth.Fhir;
using Task = System.Threading.Tasks.Task;

namespace MgAuth.Api.Tests.Support;

/// <summary>The FHIR facade as an EHR calls it: PAS Bundles in, FHIR resources out, parsed with Firely's SDK.</summary>
public static class FhirCalls
{
    public const string Submit = "/fhir/Claim/$submit";
    public const string Inquire = "/fhir/Claim/$inquire";

    private static readonly FhirJsonSerializer Serializer = new();
    private static readonly FhirJsonDeserializer Deserializer = new(new DeserializerSettings());

    public static string Json(Resource resource) => Serializer.SerializeToString(resource);

    /// <summary>A contract request (JSON) as the PAS request Bundle the mapping writes.</summary>
    public static Bundle BundleOf(JsonNode request)
    {
        var read = RequestReader.Read(request.ToJsonString(), DateOnly.FromDateTime(DateTime.UtcNow));
        Assert.True(read.IsValid, request.ToJsonString());
        return PasRequestWriter.Write(read.Request!, DateTimeOffset.UtcNow);
    }

    public static async Task<HttpResponseMessage> PostFhirAsync(this HttpClient client, string url, string json,
        string mediaType = "application/fhir+json", string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(json, Encoding.UTF8, mediaType) };
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        return await client.SendAsync(request);
    }

    /// <summary>Posts to $submit and insists on 200 with a Bundle whose first entry is the ClaimResponse.</summary>
    public static async Task<Bundle> SubmitFhirOkAsync(this HttpClient client, string json)
    {
        using var response = await client.PostFhirAsync(Submit, json);
        var bundle = await response.ResourceAsync<Bundle>(HttpStatusCode.OK);
        Assert.IsType<ClaimResponse>(bundle.Entry[0].Resource);
        return bundle;
    }

    public static Task<Bundle> SubmitFhirOkAsync(this HttpClient client, Bundle bundle) => client.SubmitFhirOkAsync(Json(bundle));

    /// <summary>$inquire; the response Bundles the Parameters return.</summary>
    public static async Task<IReadOnlyList<Bundle>> InquireAsync(this HttpClient client, Bundle inquiry)
    {
        using var response = await client.PostFhirAsync(Inquire, Json(inquiry));
        var parameters = await response.ResourceAsync<Parameters>(HttpStatusCode.OK);
        Assert.All(parameters.Parameter, p => Assert.Equal("return", p.Name));
        return parameters.Parameter.Select(p => Assert.IsType<Bundle>(p.Resource)).ToArray();
    }

    /// <summary>An inquiry Bundle: a Claim carrying only the identifiers given (the rest of the guide's query by example is optional).</summary>
    public static Bundle Inquiry(params Identifier[] identifiers)
    {
        var claim = new Claim
        {
            Identifier = [.. identifiers],
            Status = FinancialResourceStatusCodes.Active,
            Type = new CodeableConcept(Systems.ClaimType, "professional"),
            Use = ClaimUseCode.Preauthorization,
            Patient = new ResourceReference { Display = "the member" },
            Created = "2026-11-22",
            Provider = new ResourceReference { Display = "the requester" },
            Priority = new CodeableConcept(Systems.ProcessPriority, "normal"),
            Insurance = [new Claim.InsuranceComponent { Sequence = 1, Focal = true, Coverage = new ResourceReference { Display = "the member's coverage" } }],
        };
        return new Bundle
        {
            Type = Bundle.BundleType.Collection,
            Timestamp = DateTimeOffset.UtcNow,
            Identifier = new Identifier("urn:ietf:rfc:3986", "urn:uuid:" + Guid.NewGuid()),
            Entry = [new Bundle.EntryComponent { FullUrl = "urn:uuid:" + Guid.NewGuid(), Resource = claim }],
        };
    }

    public static Identifier AuthorizationIdentifier(string id) => new(Systems.AuthorizationId, id);

    /// <summary>Reads a FHIR answer, insisting on the status and the FHIR media type.</summary>
    public static async Task<T> ResourceAsync<T>(this HttpResponseMessage response, HttpStatusCode status) where T : Resource
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/fhir+json", response.Content.Headers.ContentType?.MediaType);
        return Parse<T>(text);
    }

    public static T Parse<T>(string json) where T : Resource
    {
        Deserializer.TryDeserializeResource(json, out var resource, out var issues);
        Assert.Empty(issues);
        return Assert.IsType<T>(resource);
    }

    /// <summary>The paths an OperationOutcome names, each issue an error.</summary>
    public static async Task<IReadOnlyList<string>> OutcomePathsAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        var outcome = await response.ResourceAsync<OperationOutcome>(status);
        Assert.NotEmpty(outcome.Issue);
        Assert.All(outcome.Issue, i => Assert.Equal(OperationOutcome.IssueSeverity.Error, i.Severity));
        return outcome.Issue.SelectMany(i => i.Expression).OfType<string>().ToArray();
    }

    /// <summary>The authorization id the answer gives (preAuthRef).</summary>
    public static string Id(this ClaimResponse response) => response.PreAuthRef ?? throw new InvalidOperationException("no preAuthRef");

    /// <summary>
    /// Firely's validator finds no error against core R4 and the PAS extensions. The guide's resource profiles rest on
    /// US Core, which is not reachable offline: a resource echoed from a guide example is checked against its core type,
    /// its claimed PAS profiles set aside.
    /// </summary>
    public static void AssertValid(Resource resource)
    {
        var copy = (Resource)resource.DeepCopy();
        // The subscriptions backport's profiles are not reachable offline either: checked against core R4.
        const string backport = "http://hl7.org/fhir/uv/subscriptions-backport/";
        foreach (var claimed in new[] { copy }.Concat((copy as Bundle)?.Entry.Select(e => e.Resource).OfType<Resource>() ?? []))
            if (claimed.Meta?.Profile is { } profiles && profiles.Any(p => p?.StartsWith(backport, StringComparison.Ordinal) == true))
                claimed.Meta = null;
        var echoes = copy is Bundle { Type: Bundle.BundleType.History } notification
            ? notification.Entry.Select(e => e.Resource).OfType<Bundle>().SelectMany(b => b.Entry.Skip(1))
            : (copy as Bundle)?.Entry.Skip(1) ?? [];
        foreach (var echoed in echoes.Select(e => e.Resource).OfType<Resource>())
            if (echoed.Meta is { } meta)
            {
                meta.Profile = (meta.Profile ?? []).Where(p => p is not null && !p.StartsWith("http://hl7.org/fhir/us/davinci-pas/", StringComparison.Ordinal)).ToArray();
                if (meta.IsExactly(new Meta())) echoed.Meta = null;
            }
        var errors = MgAuth.Fhir.Tests.FhirValidation.Errors(copy);
        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors));
    }

    public static ClaimResponse ClaimResponseOf(Bundle bundle) => Assert.IsType<ClaimResponse>(bundle.Entry[0].Resource);

    /// <summary>Each item's X12 306 review action code.</summary>
    public static IReadOnlyList<string> ReviewActions(this ClaimResponse response) =>
        response.Item.Select(item => item.Adjudication.Single().GetExtension(PasExtensions.ReviewAction)
            .GetExtensionValue<CodeableConcept>(PasExtensions.ReviewActionCode).Coding.Single().Code!).ToArray();

    /// <summary>Each item's X12 886 reason code, where the item has one.</summary>
    public static IReadOnlyList<string> ReviewReasons(this ClaimResponse response) =>
        response.Item.Select(item => item.Adjudication.Single().GetExtension(PasExtensions.ReviewAction)
            .GetExtensionValue<CodeableConcept>("reasonCode")?.Coding.Single().Code).OfType<string>().ToArray();

    /// <summary>The request Bundles of the PAS guide's examples (tests/MgAuth.Fhir.Tests/Package/examples).</summary>
    public static IEnumerable<string> GuideExamples() =>
        Directory.EnumerateFiles(Path.Combine(MgAuth.Fhir.Tests.FhirValidation.PackageFolder, "examples"), "*.json").Select(f => Path.GetFileName(f)).Order();

    public static string GuideExample(string file) => File.ReadAllText(Path.Combine(MgAuth.Fhir.Tests.FhirValidation.PackageFolder, "examples", file));

    /// <summary>The first item's authorized quantity (grams), if any.</summary>
    public static decimal? AuthorizedGrams(this ClaimResponse response) =>
        response.Item[0].GetExtension(PasExtensions.ItemAuthorizedDetail)?.GetExtensionValue<Quantity>("quantity") switch
        {
            // PAS counts in X12 673 units: HCPCS billing units of 500 mg.
            { System: Systems.X12QuantityQualifier, Code: "FL" } units => units.Value / 2,
            var other => other?.Value,
        };

    /// <summary>Rows a PAS request left in the database: cases, revisions, events and stored Bundles.</summary>
    public static (RowCounts Cases, long PasRequests) CountAll(this MgAuthFactory factory) =>
        (factory.CountRows(), factory.ScalarLong("SELECT COUNT(*) FROM pas_requests"));
}
