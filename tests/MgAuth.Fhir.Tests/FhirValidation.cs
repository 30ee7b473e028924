using Firely.Fhir.Validation;
using Hl7.Fhir.Model;
using Hl7.Fhir.Specification.Source;
using Hl7.Fhir.Specification.Terminology;

namespace MgAuth.Fhir.Tests;

/// <summary>
/// Firely's validator, offline: core R4 (Hl7.Fhir.Specification.Data.R4) plus the PAS extension definitions
/// in Package/definitions. Built once; compiling the schemas takes seconds.
/// </summary>
public static class FhirValidation
{
    private static readonly Lazy<Validator> Instance = new(Create);

    public static string PackageFolder => Path.Combine(AppContext.BaseDirectory, "Package");

    /// <summary>The issues at error level or worse, as "severity expression: text" lines.</summary>
    public static IReadOnlyList<string> Errors(Resource resource) =>
        Validate(resource).Where(i => i.Severity is OperationOutcome.IssueSeverity.Error or OperationOutcome.IssueSeverity.Fatal).Select(Line).ToArray();

    /// <summary>The issues at error level or worse against a profile's canonical url (its StructureDefinition in Package/definitions).</summary>
    public static IReadOnlyList<string> Errors(Resource resource, string profile)
    {
        lock (Instance)
            return Instance.Value.Validate(resource, profile).Issue
                .Where(i => i.Severity is OperationOutcome.IssueSeverity.Error or OperationOutcome.IssueSeverity.Fatal).Select(Line).ToArray();
    }

    /// <summary>Every issue, warnings and information too.</summary>
    public static IReadOnlyList<string> Issues(Resource resource) => Validate(resource).Select(Line).ToArray();

    private static List<OperationOutcome.IssueComponent> Validate(Resource resource)
    {
        // The validator is not documented as thread-safe; test classes run in parallel.
        lock (Instance) return Instance.Value.Validate(resource, "http://hl7.org/fhir/StructureDefinition/" + resource.TypeName).Issue;
    }

    private static string Line(OperationOutcome.IssueComponent i) => $"{i.Severity} {string.Join(",", i.Expression)}: {i.Details?.Text ?? i.Diagnostics}";

    private static Validator Create()
    {
        var pas = new DirectorySource(Path.Combine(PackageFolder, "definitions"), new DirectorySourceSettings { IncludeSubDirectories = false });
        var resolver = new CachedResolver(new MultiResolver(pas, ZipSource.CreateValidationSource()));
        return new Validator(resolver, new LocalTerminologyService(resolver), null, new ValidationSettings());
    }
}
