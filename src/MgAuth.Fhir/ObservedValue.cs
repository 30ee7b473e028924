using System.Globalization;
using System.Text.Json.Nodes;
using Hl7.Fhir.Model;

namespace MgAuth.Fhir;

/// <summary>How one contract value is written as <c>Observation.value[x]</c> and read back into contract JSON.</summary>
internal abstract class ObservedValue
{
    /// <summary>The FHIR value for a contract value (bool, int, decimal or an enum's contract name).</summary>
    public abstract DataType Write(object value);

    /// <summary>The contract JSON value, or null with <paramref name="error"/> saying why the FHIR value does not fit.</summary>
    public abstract JsonNode? Read(DataType? value, out string? error);

    /// <summary>The value[x] the mapping writes, for the mapping table.</summary>
    public abstract string Describe();

    public static ObservedValue Flag { get; } = new FlagValue();
    public static ObservedValue Integer { get; } = new IntegerValue();

    private sealed class FlagValue : ObservedValue
    {
        public override DataType Write(object value) => new FhirBoolean((bool)value);

        public override JsonNode? Read(DataType? value, out string? error)
        {
            error = value is FhirBoolean { Value: not null } ? null : "must be a valueBoolean";
            return value is FhirBoolean { Value: { } flag } ? JsonValue.Create(flag) : null;
        }

        public override string Describe() => "valueBoolean";
    }

    private sealed class IntegerValue : ObservedValue
    {
        public override DataType Write(object value) => new Hl7.Fhir.Model.Integer((int)value);

        public override JsonNode? Read(DataType? value, out string? error)
        {
            error = null;
            switch (value)
            {
                case Hl7.Fhir.Model.Integer { Value: { } whole }: return JsonValue.Create(whole);
                // A score sent as a unitless Quantity is still a score, when it is whole.
                case Quantity { Value: { } number } when number == decimal.Truncate(number) && number is >= int.MinValue and <= int.MaxValue:
                    return JsonValue.Create((int)number);
                default:
                    error = "must be a valueInteger";
                    return null;
            }
        }

        public override string Describe() => "valueInteger";
    }
}

/// <summary>A quantity in the contract's unit; other UCUM units of the same dimension are converted.</summary>
internal sealed class QuantityValue(string ucum, IReadOnlyDictionary<string, decimal>? conversions = null) : ObservedValue
{
    public override DataType Write(object value) => new Quantity
    {
        Value = (decimal)value,
        Unit = ucum,
        System = Systems.Ucum,
        Code = ucum,
    };

    public override JsonNode? Read(DataType? value, out string? error)
    {
        error = null;
        if (value is not Quantity { Value: { } number } quantity)
        {
            error = $"must be a valueQuantity in {ucum}";
            return null;
        }
        var unit = quantity.Code ?? quantity.Unit;
        if (unit == ucum) return JsonValue.Create(number);
        if (unit is not null && conversions?.TryGetValue(unit, out var factor) == true) return JsonValue.Create(number * factor);
        error = string.Create(CultureInfo.InvariantCulture, $"unit '{unit}' is not {ucum}{(conversions is { Count: > 0 } ? " or " + string.Join(", ", conversions.Keys) : "")}");
        return null;
    }

    public override string Describe() => $"valueQuantity ({ucum})";
}

/// <summary>An enum value as a CodeableConcept; <c>toCoding</c> and <c>fromCoding</c> work on the contract's names.</summary>
internal sealed class CodedValue(Func<string, Coding> toCoding, Func<Coding, string?> fromCoding, string describe) : ObservedValue
{
    public override DataType Write(object value) => new CodeableConcept { Coding = [toCoding((string)value)] };

    public override JsonNode? Read(DataType? value, out string? error)
    {
        error = null;
        if (value is CodeableConcept concept)
            foreach (var coding in concept.Coding)
                if (fromCoding(coding) is { } name) return JsonValue.Create(name);
        error = $"must be a valueCodeableConcept with {describe}";
        return null;
    }

    public override string Describe() => $"valueCodeableConcept: {describe}";
}
