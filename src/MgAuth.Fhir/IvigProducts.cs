using Hl7.Fhir.Model;
using MgAuth.Domain.Terminology;

namespace MgAuth.Fhir;

/// <summary>
/// Intravenous immune globulin as the release's value sets name it: a product by its HCPCS, NDC or RxNorm codes
/// (policies/valuesets/ivig-product-*.json) and the HCPCS codes that bill IVIG without naming one product
/// (ivig-billing-shared.json). A PAS item or order coded with any of them is an IVIG request. The writer codes a
/// formulary product by its HCPCS code and anything else as not otherwise specified.
/// </summary>
public static class IvigProducts
{
    public const string NotOtherwiseSpecified = "J1599";

    /// <summary>The HCPCS coding for a product named in a request (or for IVIG with no product named).</summary>
    public static Coding Hcpcs(string? product, ValueSets? terminology = null)
    {
        var library = (terminology ?? ValueSets.Shipped).Library;
        var hcpcs = library.For(ContractFacts.IvigBilling).SelectMany(s => s.Concepts).Where(c => c.System == Systems.Hcpcs).ToArray();
        var own = product is null ? null : library.For(ContractFacts.IvigProduct)
            .FirstOrDefault(s => string.Equals(s.Title, product, StringComparison.OrdinalIgnoreCase))?.Concepts.FirstOrDefault(c => c.System == Systems.Hcpcs);
        // A code shared by products names them in its display ("Gamunex-C/Gammaked", "Octagam").
        var shared = product is null || own is not null ? null
            : hcpcs.FirstOrDefault(c => c.Display is { } display && display.Contains(product.Split(' ')[0], StringComparison.OrdinalIgnoreCase));
        var concept = own ?? shared ?? hcpcs.FirstOrDefault(c => c.Code == NotOtherwiseSpecified);
        return concept is null ? new Coding(Systems.Hcpcs, NotOtherwiseSpecified) : new Coding(Systems.Hcpcs, concept.Code, concept.Display);
    }

    /// <summary>The HCPCS codes that bill IVIG in a release's value sets.</summary>
    public static IReadOnlyCollection<string> Codes(ValueSets terminology)
    {
        ArgumentNullException.ThrowIfNull(terminology);
        return terminology.Library.All
            .Where(s => s.Fact is ContractFacts.IvigProduct or ContractFacts.IvigBilling)
            .SelectMany(s => s.Concepts).Where(c => c.System == Systems.Hcpcs).Select(c => c.Code).ToArray();
    }

    /// <summary>The HCPCS coding of a concept that bills IVIG in a release's value sets (CRD's billingCode), or null.</summary>
    public static Coding? Billing(CodeableConcept? concept, ValueSets terminology)
    {
        ArgumentNullException.ThrowIfNull(terminology);
        return concept?.Coding.FirstOrDefault(c => c.System == Systems.Hcpcs && terminology.IsIvig(c));
    }
}
