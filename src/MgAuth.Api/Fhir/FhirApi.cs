using Hl7.Fhir.Model;
using Task = System.Threading.Tasks.Task;
using MgAuth.Api.Infrastructure;
using MgAuth.Api.Security;
using MgAuth.Cases.Releases;
using MgAuth.Fhir;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace MgAuth.Api.Fhir;

/// <summary>
/// The Da Vinci PAS facade (FHIR R4): Claim/$submit and Claim/$inquire with the same keys and roles as /v1, the
/// findings CodeSystem and the CapabilityStatement. Every answer, errors too, is a FHIR resource.
/// </summary>
internal static class FhirApi
{
    public static IEndpointRouteBuilder MapFhir(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/fhir").WithTags("FHIR (Da Vinci PAS)");

        group.MapPost("/Claim/$submit", SubmitAsync).RequireAuthorization(Access.Providers)
            .WithIdempotencyKey(_ => FhirResponse.Refused(StatusCodes.Status400BadRequest, OperationOutcome.IssueType.Invalid,
                $"The Idempotency-Key may be at most {IdempotencyKey.MaxLength} characters."))
            .WithSummary("Submit a PAS request Bundle; decided and stored like POST /v1/authorizations, answered with a PAS response Bundle");
        group.MapPost("/Claim/$inquire", InquireAsync).RequireAuthorization(Access.CaseReaders)
            .WithSummary("The current state of a submitted request, found by its authorization id or its Claim's identifier");
        group.MapPost("/Questionnaire/$questionnaire-package", QuestionnairePackageAsync).RequireAuthorization(Access.Providers)
            .WithSummary("Da Vinci DTR: the questionnaire (and its value sets) for an IVIG order and the member's coverage");
        group.MapGet("/Questionnaire/{id}", Questionnaire).AllowAnonymous()
            .WithSummary("The DTR questionnaire as the release in force asks it (the CRD card links here)");
        group.MapGet("/CodeSystem/{id}", CodeSystem).AllowAnonymous()
            .WithSummary("The CodeSystem of MgAuth's findings codes");
        group.MapGet("/metadata", (TimeProvider clock) => FhirResponse.Ok(FhirCapabilities.Statement(clock.GetUtcNow()))).AllowAnonymous()
            .WithSummary("The CapabilityStatement: the operations and resources served");
        return routes;
    }

    private static async Task<Results<FhirResponse<Bundle>, FhirResponse<OperationOutcome>>> SubmitAsync(
        HttpRequest http, IdempotencyKey key, ClaimSubmission submission, IOptions<RequestLimits> limits, Caller caller,
        CancellationToken cancellationToken)
    {
        var (json, refusal) = await FhirBody.ReadAsync(http, limits.Value);
        if (refusal is not null) return refusal;
        return await submission.SubmitAsync(json!, caller, key.Value, cancellationToken);
    }

    private static async Task<Results<FhirResponse<Parameters>, FhirResponse<OperationOutcome>>> InquireAsync(
        HttpRequest http, ClaimInquiry inquiry, IOptions<RequestLimits> limits, Caller caller, CancellationToken cancellationToken)
    {
        var (json, refusal) = await FhirBody.ReadAsync(http, limits.Value);
        if (refusal is not null) return refusal;
        return await inquiry.InquireAsync(json!, caller, cancellationToken);
    }

    // Whoever may submit a PAS request may ask what to send with it; the answer holds no member data beyond the input's.
    private static async Task<Results<FhirResponse<Parameters>, FhirResponse<OperationOutcome>>> QuestionnairePackageAsync(
        HttpRequest http, ActiveRules active, TimeProvider clock, IOptions<RequestLimits> limits)
    {
        var (json, refusal) = await FhirBody.ReadAsync(http, limits.Value);
        if (refusal is not null) return refusal;
        var answer = QuestionnairePackage.Answer(json!, ValueSets.Of(active.Current.ValueSets), clock.GetUtcNow());
        if (answer.Package is { } package) return FhirResponse.Ok(package);
        return answer.NoQuestionnaire is { } none ? FhirResponse.Ok(none) : FhirResponse.Problems(StatusCodes.Status400BadRequest, answer.Problems);
    }

    // Holds no member data: anyone may read it, as the CodeSystem.
    private static Results<FhirResponse<Questionnaire>, FhirResponse<OperationOutcome>> Questionnaire(string id, ActiveRules active, TimeProvider clock) =>
        id == DtrQuestionnaire.Id
            ? FhirResponse.Ok(DtrQuestionnaire.Build(ValueSets.Of(active.Current.ValueSets), clock.GetUtcNow()))
            : FhirResponse.Refused(StatusCodes.Status404NotFound, OperationOutcome.IssueType.NotFound,
                $"There is no Questionnaire '{id}'; MgAuth serves '{DtrQuestionnaire.Id}'.");

    private static Results<FhirResponse<CodeSystem>, FhirResponse<OperationOutcome>> CodeSystem(string id) =>
        FindingCodes.CodeSystem() is var codes && codes.Id == id
            ? FhirResponse.Ok(codes)
            : FhirResponse.Refused(StatusCodes.Status404NotFound, OperationOutcome.IssueType.NotFound, $"There is no CodeSystem '{id}'; MgAuth serves '{codes.Id}'.");

    /// <summary>What the service's one database-error handler answers on a /fhir path: an OperationOutcome, not a problem document.</summary>
    public static FhirResponse<OperationOutcome> Unavailable() =>
        FhirResponse.Refused(StatusCodes.Status503ServiceUnavailable, OperationOutcome.IssueType.Transient,
            "The request was not stored; nothing was kept. Send it again.");
}
