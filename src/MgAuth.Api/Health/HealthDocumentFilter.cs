using System.Net.Http;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace MgAuth.Api.Health;

/// <summary>
/// The probes are health-check endpoints, which ASP.NET Core's API explorer does not list: this puts them in the
/// OpenAPI document as they answer (200, or 503 when not ready), with the <see cref="ProbeReport"/> body.
/// </summary>
internal sealed class HealthDocumentFilter : IDocumentFilter
{
    public void Apply(OpenApiDocument document, DocumentFilterContext context)
    {
        var schema = context.SchemaGenerator.GenerateSchema(typeof(ProbeReport), context.SchemaRepository);
        document.Paths ??= [];
        document.Paths["/health/live"] = Probe(document, schema, "Live while the process answers", ready: false);
        document.Paths["/health/ready"] = Probe(document, schema, "Ready while the database answers and a release with rules is in force", ready: true);
    }

    private static OpenApiPathItem Probe(OpenApiDocument document, IOpenApiSchema schema, string summary, bool ready)
    {
        var responses = new OpenApiResponses { ["200"] = Response("live or ready", schema) };
        if (ready) responses["503"] = Response("not ready: the failing check says unavailable or none", schema);
        return new OpenApiPathItem
        {
            Operations = new Dictionary<HttpMethod, OpenApiOperation>
            {
                [HttpMethod.Get] = new()
                {
                    Summary = summary,
                    Tags = new HashSet<OpenApiTagReference> { new("Health", document) },
                    Responses = responses,
                },
            },
        };
    }

    private static OpenApiResponse Response(string description, IOpenApiSchema schema) => new()
    {
        Description = description,
        Content = new Dictionary<string, IOpenApiMediaType> { ["application/json"] = new OpenApiMediaType { Schema = schema } },
    };
}
