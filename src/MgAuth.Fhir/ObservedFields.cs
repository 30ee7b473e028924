using Hl7.Fhir.Model;
using MgAuth.Domain.Requests;

namespace MgAuth.Fhir;

/// <summary>One contract field carried as an Observation in <c>Claim.supportingInfo</c>.</summary>
internal sealed record ObservedField(string Path, Coding Code, ObservedValue Value, Func<AuthorizationRequest, object?> Read)
{
    /// <summary>Other codes an EHR may send for the same finding (e.g. an older eGFR formula).</summary>
    public IReadOnlyList<Coding> AlsoAccepted { get; init; } = [];

    public bool VitalSign { get; init; }

    public bool Matches(Coding coding) =>
        Same(Code, coding) || AlsoAccepted.Any(a => Same(a, coding));

    private static bool Same(Coding a, Coding b) => a.System == b.System && a.Code == b.Code;
}

/// <summary>
/// Every contract field that travels as an Observation. The writer and the reader both walk this table,
/// so the two directions cannot drift apart. <c>Read</c> gives null for a value that need not be written:
/// absent, false, or the contract's default (unknown, not_done), which the reader leaves absent in turn.
/// </summary>
internal static class ObservedFields
{
    private static readonly Coding SnomedPositive = new(Systems.Snomed, "10828004", "Positive");
    private static readonly Coding SnomedNegative = new(Systems.Snomed, "260385009", "Negative");
    private static readonly Coding SnomedUnknown = new(Systems.Snomed, "261665006", "Unknown");

    private static readonly CodedValue Antibody = new(
        name => name switch { "positive" => SnomedPositive, "negative" => SnomedNegative, _ => SnomedUnknown },
        coding => coding.System != Systems.Snomed ? null : coding.Code switch
        {
            "10828004" => "positive",
            "260385009" => "negative",
            "261665006" => "unknown",
            _ => null,
        },
        "SNOMED CT 10828004 positive | 260385009 negative | 261665006 unknown");

    private static CodedValue Coded<T>(ValueCodes<T> codes) where T : struct, Enum => new(
        name => ContractNames.TryParse<T>(name, out var value) ? codes.Coding(value) : throw new ArgumentException(name),
        coding => coding.System == FindingCodes.System && codes.TryParse(coding.Code, out var name) ? name : null,
        $"mgauth-findings#{codes.Prefix}-*");

    private static Coding Mg(string code) => FindingCodes.Coding(code);

    private static object? Flag(bool value) => value ? true : null;

    private static object? Named<T>(T value, T unstated) where T : struct, Enum =>
        EqualityComparer<T>.Default.Equals(value, unstated) ? null : ContractNames.Of(value);

    public static IReadOnlyList<ObservedField> All { get; } =
    [
        new("member.weightKg", new Coding(Systems.Loinc, "29463-7", "Body weight"),
            new QuantityValue("kg", new Dictionary<string, decimal> { ["g"] = 0.001m, ["[lb_av]"] = 0.45359237m }),
            r => r.Member.WeightKg) { VitalSign = true },
        new("member.heightCm", new Coding(Systems.Loinc, "8302-2", "Body height"),
            new QuantityValue("cm", new Dictionary<string, decimal> { ["m"] = 100m, ["[in_i]"] = 2.54m }),
            r => r.Member.HeightCm) { VitalSign = true },
        new("diagnosis.mgfaClass", Mg(FindingCodes.MgfaClass), Coded(FindingCodes.MgfaClasses), r => ContractNames.Of(r.Diagnosis.MgfaClass)),
        new("diagnosis.achrAntibody", Mg(FindingCodes.AchrAntibody), Antibody, r => Named(r.Diagnosis.AchrAntibody, AntibodyResult.Unknown)),
        new("diagnosis.muskAntibody", Mg(FindingCodes.MuskAntibody), Antibody, r => Named(r.Diagnosis.MuskAntibody, AntibodyResult.Unknown)),
        new("diagnosis.lrp4Antibody", Mg(FindingCodes.Lrp4Antibody), Antibody, r => Named(r.Diagnosis.Lrp4Antibody, AntibodyResult.Unknown)),
        new("diagnosis.electrodiagnostics", Mg(FindingCodes.Electrodiagnostics), Coded(FindingCodes.ElectrodiagnosticResults),
            r => Named(r.Diagnosis.Electrodiagnostics, Electrodiagnostics.NotDone)),
        new("clinical.mgAdl.current", Mg(FindingCodes.MgAdl), ObservedValue.Integer, r => r.Clinical.MgAdl?.Current),
        new("clinical.mgAdl.baseline", Mg(FindingCodes.MgAdlBaseline), ObservedValue.Integer, r => r.Clinical.MgAdl?.Baseline),
        new("clinical.qmg.current", Mg(FindingCodes.Qmg), ObservedValue.Integer, r => r.Clinical.Qmg?.Current),
        new("clinical.qmg.baseline", Mg(FindingCodes.QmgBaseline), ObservedValue.Integer, r => r.Clinical.Qmg?.Baseline),
        new("clinical.bulbarDysfunction", Mg(FindingCodes.BulbarDysfunction), ObservedValue.Flag, r => Flag(r.Clinical.BulbarDysfunction)),
        new("clinical.respiratory.intubated", Mg(FindingCodes.Intubated), ObservedValue.Flag, r => Flag(r.Clinical.Respiratory?.Intubated == true)),
        new("clinical.respiratory.nonInvasiveVentilation", Mg(FindingCodes.NonInvasiveVentilation), ObservedValue.Flag,
            r => Flag(r.Clinical.Respiratory?.NonInvasiveVentilation == true)),
        new("clinical.respiratory.fvcMlPerKg", Mg(FindingCodes.FvcPerKg),
            new QuantityValue("mL/kg", new Dictionary<string, decimal> { ["L/kg"] = 1000m }), r => r.Clinical.Respiratory?.FvcMlPerKg),
        new("clinical.egfr", new Coding(Systems.Loinc, "98979-8", "Glomerular filtration rate/1.73 sq M.predicted [Volume Rate/Area] in Serum, Plasma or Blood by Creatinine-based formula (CKD-EPI 2021)"),
            new QuantityValue("mL/min/{1.73_m2}"), r => r.Clinical.Egfr)
        {
            AlsoAccepted = [new Coding(Systems.Loinc, "62238-1"), new Coding(Systems.Loinc, "33914-3")],
        },
        new("clinical.diabeticNephropathy", Mg(FindingCodes.DiabeticNephropathy), ObservedValue.Flag, r => Flag(r.Clinical.DiabeticNephropathy)),
        new("clinical.igaStatus", Mg(FindingCodes.IgaStatus), Coded(FindingCodes.IgaStatuses), r => Named(r.Clinical.IgaStatus, IgaStatus.Unknown)),
        new("clinical.thromboembolicHistory", Mg(FindingCodes.ThromboembolicHistory), ObservedValue.Flag, r => Flag(r.Clinical.ThromboembolicHistory)),
        new("clinical.heartFailure", Mg(FindingCodes.HeartFailure), ObservedValue.Flag, r => Flag(r.Clinical.HeartFailure)),
        new("clinical.priorIgAnaphylaxis", Mg(FindingCodes.PriorIgAnaphylaxis), ObservedValue.Flag, r => Flag(r.Clinical.PriorIgAnaphylaxis)),
        new("clinical.hyperprolinemia", Mg(FindingCodes.Hyperprolinemia), ObservedValue.Flag, r => Flag(r.Clinical.Hyperprolinemia)),
        new("clinical.hereditaryFructoseIntolerance", Mg(FindingCodes.HereditaryFructoseIntolerance), ObservedValue.Flag,
            r => Flag(r.Clinical.HereditaryFructoseIntolerance)),
        new("clinical.immunosuppressantsContraindicated", Mg(FindingCodes.ImmunosuppressantsContraindicated), ObservedValue.Flag,
            r => Flag(r.Clinical.ImmunosuppressantsContraindicated)),
        new("priorIvigResponse.mgAdlBefore", Mg(FindingCodes.PriorIvigMgAdlBefore), ObservedValue.Integer, r => r.PriorIvigResponse?.MgAdlBefore),
        new("priorIvigResponse.mgAdlAfter", Mg(FindingCodes.PriorIvigMgAdlAfter), ObservedValue.Integer, r => r.PriorIvigResponse?.MgAdlAfter),
        new("priorIvigResponse.qmgBefore", Mg(FindingCodes.PriorIvigQmgBefore), ObservedValue.Integer, r => r.PriorIvigResponse?.QmgBefore),
        new("priorIvigResponse.qmgAfter", Mg(FindingCodes.PriorIvigQmgAfter), ObservedValue.Integer, r => r.PriorIvigResponse?.QmgAfter),
    ];

    /// <summary>
    /// The field an Observation's code carries: MgAuth's own code, or for a measured quantity (weight, height, eGFR)
    /// any code of the release's value sets for that field.
    /// </summary>
    public static ObservedField? For(CodeableConcept? code, ValueSets terminology) =>
        code is null ? null : All.FirstOrDefault(f => code.Coding.Any(f.Matches)
            || (f.Value is QuantityValue && terminology.Has(f.Path, code)));
}
