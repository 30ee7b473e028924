using System.Text.Json.Nodes;
using Hl7.Fhir.Model;
using MgAuth.Domain.Terminology;

namespace MgAuth.Fhir;

/// <summary>
/// Laboratory and pulmonary results in standard codes (LOINC, by the release's value sets) that need more than a
/// unit conversion: an AChR binding antibody read as positive or negative from its interpretation or its reference
/// range, and a forced vital capacity volume divided by the body weight. A result that says neither stays absent.
/// </summary>
internal sealed class LabResults
{
    private static readonly QuantityValue Millilitres = new("mL", new Dictionary<string, decimal> { ["L"] = 1000m, ["dL"] = 100m });

    private (string Value, string Path)? _achr;
    private (decimal Millilitres, string Path)? _fvc;

    public void Add(Observation observation, string path, ValueSets terminology)
    {
        if (terminology.Has(ContractFacts.AchrAntibody, observation.Code) && Antibody(observation) is { } result)
            _achr ??= (result, path);
        else if (terminology.Has(ContractFacts.Fvc, observation.Code) && Millilitres.Read(observation.Value, out _) is { } volume)
            _fvc ??= (volume.GetValue<decimal>(), path);
    }

    /// <summary>Sets what the results say where the request does not say it already (MgAuth's own finding codes win).</summary>
    public void Apply(ContractRequestBuilder builder, JsonObject request)
    {
        if (_achr is { } achr && request["diagnosis"]?["achrAntibody"] is null)
            builder.Set("diagnosis.achrAntibody", achr.Value, achr.Path + ".value");
        if (_fvc is { } fvc && request["clinical"]?["respiratory"]?["fvcMlPerKg"] is null
            && request["member"]?["weightKg"] is JsonValue weight && weight.GetValue<decimal>() is > 0 and var kg)
            builder.Set("clinical.respiratory.fvcMlPerKg", Math.Round(fvc.Millilitres / kg, 1, MidpointRounding.AwayFromZero), fvc.Path + ".value");
    }

    // The laboratory's interpretation says it; else the value against the upper reference limit.
    private static string? Antibody(Observation observation)
    {
        foreach (var coding in observation.Interpretation.SelectMany(i => i.Coding).Where(c => c.System == Systems.ObservationInterpretation))
            switch (coding.Code)
            {
                case "POS" or "H" or "HH" or "A" or "AA" or "DET": return "positive";
                case "NEG" or "N" or "ND": return "negative";
            }
        if (observation.Value is Quantity { Value: { } value } quantity
            && observation.ReferenceRange.FirstOrDefault(r => r.High is not null)?.High is { Value: { } high } limit
            && (limit.Code ?? limit.Unit) == (quantity.Code ?? quantity.Unit))
            return value > high ? "positive" : "negative";
        return null;
    }
}
