using Hl7.Fhir.Model;

namespace MgAuth.Fhir;

/// <summary>
/// The HCPCS codes that bill intravenous immune globulin (500 mg units): a PAS item coded with one of them is
/// an IVIG request. The writer codes a formulary product by its own code and anything else as not otherwise specified.
/// </summary>
public static class IvigProducts
{
    public const string NotOtherwiseSpecified = "J1599";

    private static readonly Dictionary<string, string> ByProduct = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Privigen"] = "J1459",
        ["Asceniv"] = "J1554",
        ["Bivigam"] = "J1556",
        ["Gammaplex"] = "J1557",
        ["Gamunex-C"] = "J1561",
        ["Gammaked"] = "J1561",
        ["Octagam 10%"] = "J1568",
        ["Octagam"] = "J1568",
        ["Gammagard Liquid"] = "J1569",
        ["Flebogamma DIF"] = "J1572",
        ["Flebogamma"] = "J1572",
        ["Panzyga"] = "J1576",
    };

    private static readonly Dictionary<string, string> Displays = new()
    {
        ["J1459"] = "Injection, immune globulin (Privigen), intravenous, non-lyophilized, 500 mg",
        ["J1554"] = "Injection, immune globulin (Asceniv), 500 mg",
        ["J1556"] = "Injection, immune globulin (Bivigam), 500 mg",
        ["J1557"] = "Injection, immune globulin (Gammaplex), intravenous, non-lyophilized, 500 mg",
        ["J1561"] = "Injection, immune globulin (Gamunex-C/Gammaked), non-lyophilized, 500 mg",
        ["J1566"] = "Injection, immune globulin, intravenous, lyophilized, not otherwise specified, 500 mg",
        ["J1568"] = "Injection, immune globulin (Octagam), intravenous, non-lyophilized, 500 mg",
        ["J1569"] = "Injection, immune globulin (Gammagard Liquid), non-lyophilized, 500 mg",
        ["J1572"] = "Injection, immune globulin (Flebogamma/Flebogamma DIF), intravenous, non-lyophilized, 500 mg",
        ["J1576"] = "Injection, immune globulin (Panzyga), intravenous, non-lyophilized, 500 mg",
        [NotOtherwiseSpecified] = "Injection, immune globulin, intravenous, non-lyophilized, not otherwise specified, 500 mg",
    };

    /// <summary>The HCPCS coding for a product named in a request (or for IVIG with no product named).</summary>
    public static Coding Hcpcs(string? product)
    {
        var code = product is not null && ByProduct.TryGetValue(product, out var known) ? known : NotOtherwiseSpecified;
        return new Coding(Systems.Hcpcs, code, Displays[code]);
    }

    public static bool IsIvig(Coding coding) => coding.System == Systems.Hcpcs && coding.Code is { } code && Displays.ContainsKey(code);

    public static bool IsIvig(CodeableConcept? concept) => concept?.Coding.Any(IsIvig) == true;

    public static IReadOnlyCollection<string> Codes => Displays.Keys;
}
