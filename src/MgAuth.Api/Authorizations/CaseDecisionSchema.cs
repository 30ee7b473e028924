using MgAuth.Cases.Decisions;
using MgAuth.Domain.Decisions;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace MgAuth.Api.Authorizations;

/// <summary>
/// A case's decision is answered flat (<see cref="CaseDecisionJson"/>), which the generator cannot see through the
/// converter: its schema is the decision's properties with the case's own in the same places as on the wire.
/// </summary>
public sealed class CaseDecisionSchema : ISchemaFilter
{
    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (context.Type != typeof(CaseDecision) || schema is not OpenApiSchema flat || flat.Properties is not { } own) return;
        var generated = context.SchemaGenerator.GenerateSchema(typeof(Decision), context.SchemaRepository);
        if (generated is not OpenApiSchemaReference { Reference.Id: { } id } || context.SchemaRepository.Schemas[id] is not OpenApiSchema decision)
            return;
        var properties = new Dictionary<string, IOpenApiSchema>();
        void Own(string name)
        {
            if (own.TryGetValue(name, out var property)) properties[name] = property;
        }
        Own("authorizationId");
        Own("revision");
        foreach (var (name, property) in decision.Properties ?? new Dictionary<string, IOpenApiSchema>())
        {
            properties[name] = property;
            if (name != "asOf") continue;
            Own("receivedAt");
            Own("dueBy");
        }
        Own("determination");
        Own("appealOf");
        Own("appeals");
        flat.Properties = properties;
        flat.Required = new HashSet<string>([.. decision.Required ?? new HashSet<string>(), "authorizationId", "revision"]);
    }
}
