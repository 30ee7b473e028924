using MgAuth.Cases.Decisions;
using MgAuth.Cases.Review;
using MgAuth.Domain.Facts;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace MgAuth.Api.Authorizations;

/// <summary>
/// A case's answer is written flat (<see cref="CaseAnswerJson"/>): its schema is the case's decision's (<see cref="CaseDecisionSchema"/>)
/// with the answer's own fields after it.
/// </summary>
internal sealed class CaseAnswerSchema : ISchemaFilter
{
    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (context.Type != typeof(CaseAnswer) || schema is not OpenApiSchema answer) return;
        var generated = context.SchemaGenerator.GenerateSchema(typeof(CaseDecision), context.SchemaRepository);
        if (generated is not OpenApiSchemaReference { Reference.Id: { } id } || context.SchemaRepository.Schemas[id] is not OpenApiSchema decision)
            return;
        var properties = new Dictionary<string, IOpenApiSchema>(decision.Properties ?? new Dictionary<string, IOpenApiSchema>())
        {
            ["dosingWorking"] = Described(context.SchemaGenerator.GenerateSchema(typeof(DosingWorking), context.SchemaRepository),
                "How the service worked out the dose (decimal): Devine ideal body weight, the dosing weight, g/kg, and the course and daily ceilings before and after vial rounding."),
            ["clock"] = Described(context.SchemaGenerator.GenerateSchema(typeof(CaseClock), context.SchemaRepository),
                "A pended case against its due time on the service's clock: now, seconds left (negative once overdue), overdue, due soon (within 24 h)."),
            ["nextActions"] = Described(context.SchemaGenerator.GenerateSchema(typeof(IReadOnlyList<NextAction>), context.SchemaRepository),
                "What this caller may do next (claim, release, approve, approve_modified, deny, request_information, appeal): allowed or not, and when not the service's reason."),
        };
        answer.Properties = properties;
        answer.Required = new HashSet<string>([.. decision.Required ?? new HashSet<string>(), "nextActions"]);
    }

    // A reference cannot carry a description of its own use; an allOf of one can.
    private static IOpenApiSchema Described(IOpenApiSchema schema, string description) =>
        new OpenApiSchema { AllOf = [schema], Description = description };
}
