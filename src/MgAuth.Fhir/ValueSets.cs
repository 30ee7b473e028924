using Hl7.Fhir.Model;
using MgAuth.Domain.Terminology;

namespace MgAuth.Fhir;

/// <summary>
/// A release's value sets as the FHIR reader asks them: which contract fact a coding stands for. The reader never
/// names a code itself; it asks these (docs/fhir-mapping.md lists each fact's value sets).
/// </summary>
public sealed class ValueSets(ValueSetLibrary library)
{
    /// <summary>The value sets the repository's release ships (policies/valuesets, built into this assembly).</summary>
    public static ValueSets Shipped { get; } = new(ValueSetLibrary.Parse(ReadShipped()));

    public ValueSetLibrary Library { get; } = library;

    /// <summary>
    /// The value sets of a release: its own, or for a release from before value sets (none in its files) the shipped
    /// ones, which it was decided under.
    /// </summary>
    public static ValueSets Of(ValueSetLibrary release)
    {
        ArgumentNullException.ThrowIfNull(release);
        return release.All.IsEmpty ? Shipped : new ValueSets(release);
    }

    /// <summary>The value set of a fact that holds one of the concept's codings, or null.</summary>
    public ValueSetDefinition? Find(string fact, CodeableConcept? concept) =>
        concept?.Coding.Select(c => Library.Find(fact, c.System, c.Code)).FirstOrDefault(s => s is not null);

    public bool Has(string fact, CodeableConcept? concept) => Find(fact, concept) is not null;

    public bool Has(string fact, Coding coding) => Library.Find(fact, coding.System, coding.Code) is not null;

    /// <summary>The formulary product a concept's codes name (HCPCS, NDC or RxNorm), or null when they name none.</summary>
    public string? Product(CodeableConcept? concept) => Find(ContractFacts.IvigProduct, concept)?.Title;

    /// <summary>Whether a coding bills or names intravenous immune globulin.</summary>
    public bool IsIvig(Coding coding) => Has(ContractFacts.IvigProduct, coding) || Has(ContractFacts.IvigBilling, coding);

    public bool IsIvig(CodeableConcept? concept) => concept?.Coding.Any(IsIvig) == true;

    private static Dictionary<string, string> ReadShipped()
    {
        var assembly = typeof(ValueSets).Assembly;
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(ValueSetLibrary.IsValueSetFile))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            files[name] = reader.ReadToEnd();
        }
        return files;
    }
}
