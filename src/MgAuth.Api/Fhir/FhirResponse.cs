using System.Reflection;
using Hl7.Fhir.Model;
using Task = System.Threading.Tasks.Task;
using Hl7.Fhir.Serialization;
using MgAuth.Fhir;
using Microsoft.AspNetCore.Http.Metadata;

namespace MgAuth.Api.Fhir;

/// <summary>A FHIR resource answered as <c>application/fhir+json</c>, serialized by Firely's SDK.</summary>
public sealed class FhirResponse<T>(int status, T resource, string? location = null) : IResult, IEndpointMetadataProvider where T : Resource
{
    public int StatusCode => status;

    public T Resource => resource;

    public Task ExecuteAsync(HttpContext context)
    {
        context.Response.StatusCode = status;
        if (location is not null) context.Response.Headers.Location = location;
        context.Response.ContentType = FhirResponse.MediaType;
        return context.Response.WriteAsync(FhirResponse.Serializer.SerializeToString(resource), context.RequestAborted);
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(
            typeof(T) == typeof(OperationOutcome) ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK, typeof(object), [FhirResponse.MediaType]));
}

public static class FhirResponse
{
    public const string MediaType = "application/fhir+json; charset=utf-8";

    internal static readonly FhirJsonSerializer Serializer = new();

    public static FhirResponse<T> Ok<T>(T resource) where T : Resource => new(StatusCodes.Status200OK, resource);

    public static FhirResponse<T> Created<T>(T resource, string location) where T : Resource => new(StatusCodes.Status201Created, resource, location);

    /// <summary>An OperationOutcome naming each problem at its FHIR path.</summary>
    public static FhirResponse<OperationOutcome> Problems(int status, IEnumerable<FhirProblem> problems) =>
        new(status, FhirProblem.ToOperationOutcome(problems));

    /// <summary>An OperationOutcome for a request refused as a whole (<paramref name="code"/>: the FHIR issue type).</summary>
    public static FhirResponse<OperationOutcome> Refused(int status, OperationOutcome.IssueType code, string diagnostics)
    {
        var outcome = new OperationOutcome();
        outcome.Issue.Add(new OperationOutcome.IssueComponent { Severity = OperationOutcome.IssueSeverity.Error, Code = code, Diagnostics = diagnostics });
        return new FhirResponse<OperationOutcome>(status, outcome);
    }
}
