using System.Diagnostics;
using Firely.Fhir.Validation;
using Hl7.Fhir.Model;
using Hl7.Fhir.Specification.Source;
using Hl7.Fhir.Specification.Terminology;

namespace MgAuth.Fhir.Tests;

/// <summary>
/// Firely's validator, offline: core R4 (Hl7.Fhir.Specification.Data.R4) plus the profiles of Da Vinci PAS 2.2.1,
/// CRD 2.0.1 and US Core 7.0.0 / 3.1.1 in Package/profiles (Package/README.md says what was copied and changed).
/// Built once; each profile's schema is compiled the first time a resource is checked against it.
/// </summary>
public static class FhirValidation
{
    private static readonly Lazy<Validator> Instance = new(Create);

    public static string PackageFolder => Path.Combine(AppContext.BaseDirectory, "Package");

    /// <summary>How long building the validator took (the packages indexed), once it has been built.</summary>
    public static TimeSpan StartUp { get; private set; }

    /// <summary>The issues at error level or worse against core R4, as "severity expression: text" lines.</summary>
    public static IReadOnlyList<string> Errors(Resource resource) => Errors(resource, Core(resource));

    /// <summary>The issues at error level or worse against <paramref name="profile"/> (a canonical, with or without version).</summary>
    public static IReadOnlyList<string> Errors(Resource resource, string profile) =>
        Validate(resource, profile).Where(i => i.Severity is OperationOutcome.IssueSeverity.Error or OperationOutcome.IssueSeverity.Fatal).Select(Line).ToArray();

    /// <summary>Every issue against core R4, warnings and information too.</summary>
    public static IReadOnlyList<string> Issues(Resource resource) => Issues(resource, Core(resource));

    /// <summary>Every issue against <paramref name="profile"/>, warnings and information too.</summary>
    public static IReadOnlyList<string> Issues(Resource resource, string profile) => Validate(resource, profile).Select(Line).ToArray();

    private static string Core(Resource resource) => "http://hl7.org/fhir/StructureDefinition/" + resource.TypeName;

    private static List<OperationOutcome.IssueComponent> Validate(Resource resource, string profile)
    {
        // The validator is not documented as thread-safe; test classes run in parallel.
        lock (Instance) return Instance.Value.Validate(resource, profile).Issue;
    }

    private static string Line(OperationOutcome.IssueComponent i) => $"{i.Severity} {string.Join(",", i.Expression)}: {i.Details?.Text ?? i.Diagnostics}";

    private static Validator Create()
    {
        var clock = Stopwatch.StartNew();
        // US Core 7.0.0 before 3.1.1: a canonical whose version is not here (PAS names US Core 6.1.0 too) gets the newer.
        var packages = new[] { "hl7.fhir.us.davinci-pas-2.2.1", "hl7.fhir.us.davinci-crd-2.0.1", "hl7.fhir.us.davinci-dtr-2.0.1", "hl7.fhir.us.core-7.0.0", "hl7.fhir.us.core-3.1.1" }
            .Select(p => (IAsyncResourceResolver)new DirectorySource(Path.Combine(PackageFolder, "profiles", p), new DirectorySourceSettings { IncludeSubDirectories = false }))
            .Append(ZipSource.CreateValidationSource());
        var resolver = new CachedResolver(new VersionTolerantResolver(new MultiResolver(packages)));
        var validator = new Validator(resolver, new LocalTerminologyService(resolver), null, new ValidationSettings());
        StartUp = clock.Elapsed;
        return validator;
    }
}
