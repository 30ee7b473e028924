using System.Collections.Immutable;

namespace MgAuth.Domain.Terminology;

/// <summary>One code a value set names, in its code system and that system's version.</summary>
public sealed record ValueSetConcept(string System, string SystemVersion, string Code, string? Display);

/// <summary>
/// A FHIR ValueSet that lives beside the policies (<c>policies/valuesets/*.json</c>): its canonical url and version,
/// the contract fact its codes stand for (the <c>contract-fact</c> extension) and its explicit concepts. For a
/// formulary product the title is the product's name as the policy's formulary lists it; for a therapy agent, the
/// agent's name as the policy's agents list it.
/// </summary>
public sealed record ValueSetDefinition(string File, string Url, string Version, string Title, string Fact, ImmutableArray<ValueSetConcept> Concepts)
{
    public bool Contains(string? system, string? code) =>
        system is not null && code is not null && Concepts.Any(c => c.System == system && CodeKey.Same(system, c.Code, code));
}

/// <summary>The contract facts a value set may stand for: the <c>contract-fact</c> extension's values.</summary>
public static class ContractFacts
{
    public const string ExtensionUrl = "http://mgauth.example/fhir/StructureDefinition/contract-fact";

    /// <summary>A formulary product (the title names it).</summary>
    public const string IvigProduct = "ivig.product";

    /// <summary>IVIG billed by a code that names no one product.</summary>
    public const string IvigBilling = "ivig.billing";

    /// <summary>The infusion that administers the drug: a Claim line decided with the IVIG item.</summary>
    public const string IvigAdministration = "ivig.administration";

    /// <summary>A prior therapy's agent (the title names it).</summary>
    public const string TherapyAgent = "priorTherapies.agent";

    public const string PlannedCorticosteroid = "plannedCorticosteroid";
    public const string PlannedSurgery = "plannedSurgery";
    public const string Myasthenia = "diagnosis.icd10";
    public const string AchrAntibody = "diagnosis.achrAntibody";
    public const string WeightKg = "member.weightKg";
    public const string HeightCm = "member.heightCm";
    public const string Egfr = "clinical.egfr";
    public const string Fvc = "clinical.respiratory.fvc";
    public const string Intubated = "clinical.respiratory.intubated";
    public const string NonInvasiveVentilation = "clinical.respiratory.nonInvasiveVentilation";
    public const string HeartFailure = "clinical.heartFailure";
    public const string IgaDeficiency = "clinical.igaStatus";
    public const string ThromboembolicHistory = "clinical.thromboembolicHistory";
    public const string DiabeticNephropathy = "clinical.diabeticNephropathy";
    public const string Hyperprolinemia = "clinical.hyperprolinemia";
    public const string HereditaryFructoseIntolerance = "clinical.hereditaryFructoseIntolerance";
    public const string IgAnaphylaxis = "clinical.priorIgAnaphylaxis";

    public static ImmutableHashSet<string> All { get; } =
    [
        IvigProduct, IvigBilling, IvigAdministration, TherapyAgent, PlannedCorticosteroid, PlannedSurgery, Myasthenia, AchrAntibody,
        WeightKg, HeightCm, Egfr, Fvc, Intubated, NonInvasiveVentilation, HeartFailure, IgaDeficiency, ThromboembolicHistory,
        DiabeticNephropathy, Hyperprolinemia, HereditaryFructoseIntolerance, IgAnaphylaxis,
    ];

    /// <summary>
    /// Facts whose value sets must not share a code: one code names one product (and a product code is never also
    /// "IVIG, product unnamed"), one agent.
    /// </summary>
    public static ImmutableArray<ImmutableHashSet<string>> Exclusive { get; } = [[IvigProduct, IvigBilling], [TherapyAgent]];
}

/// <summary>How two codes of one system compare: NDCs in any of their hyphenated 10-digit forms or as 11 digits are one package.</summary>
public static class CodeKey
{
    public const string Ndc = "http://hl7.org/fhir/sid/ndc";

    public static bool Same(string system, string a, string b) => string.Equals(Of(system, a), Of(system, b), StringComparison.Ordinal);

    public static string Of(string system, string code) => system == Ndc ? NdcEleven(code) ?? code : code;

    // 4-4-2, 5-3-2 and 5-4-1 labeler-product-package forms pad to 5-4-2; eleven bare digits are already that form.
    private static string? NdcEleven(string code)
    {
        var parts = code.Split('-');
        if (parts.Length == 1) return code.Length == 11 && code.All(char.IsAsciiDigit) ? code : null;
        if (parts.Length != 3 || parts.Any(p => p.Length == 0 || !p.All(char.IsAsciiDigit))) return null;
        if (parts[0].Length > 5 || parts[1].Length > 4 || parts[2].Length > 2) return null;
        return parts[0].PadLeft(5, '0') + parts[1].PadLeft(4, '0') + parts[2].PadLeft(2, '0');
    }
}
