using Hl7.Fhir.Model;

namespace MgAuth.Fhir;

/// <summary>
/// The data-absent-reason extension, for an element a profile requires that the contract does not carry: the
/// writer says the value is unknown rather than inventing one.
/// </summary>
internal static class DataAbsent
{
    public const string Url = "http://hl7.org/fhir/StructureDefinition/data-absent-reason";

    /// <summary>A new extension each time: an element owns its extensions.</summary>
    public static Extension Unknown => new(Url, new Code("unknown"));
}
