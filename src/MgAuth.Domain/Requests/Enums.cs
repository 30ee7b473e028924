using System.Text.Json.Serialization;

namespace MgAuth.Domain.Requests;

// Contract enum values are lower snake_case; JSON uses the names given here.

[JsonConverter(typeof(JsonStringEnumConverter<Urgency>))]
public enum Urgency
{
    [JsonStringEnumMemberName("standard")] Standard,
    [JsonStringEnumMemberName("expedited")] Expedited,
}

[JsonConverter(typeof(JsonStringEnumConverter<Indication>))]
public enum Indication
{
    [JsonStringEnumMemberName("exacerbation")] Exacerbation,
    [JsonStringEnumMemberName("crisis")] Crisis,
    [JsonStringEnumMemberName("pre_thymectomy")] PreThymectomy,
    [JsonStringEnumMemberName("bridging_steroids")] BridgingSteroids,
    [JsonStringEnumMemberName("refractory_maintenance")] RefractoryMaintenance,
}

[JsonConverter(typeof(JsonStringEnumConverter<Sex>))]
public enum Sex
{
    [JsonStringEnumMemberName("female")] Female,
    [JsonStringEnumMemberName("male")] Male,
    [JsonStringEnumMemberName("other")] Other,
    [JsonStringEnumMemberName("unknown")] Unknown,
}

/// <summary>MGFA clinical classification, declared mildest first so classes compare by severity.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<MgfaClass>))]
public enum MgfaClass
{
    [JsonStringEnumMemberName("I")] I,
    [JsonStringEnumMemberName("IIa")] IIa,
    [JsonStringEnumMemberName("IIb")] IIb,
    [JsonStringEnumMemberName("IIIa")] IIIa,
    [JsonStringEnumMemberName("IIIb")] IIIb,
    [JsonStringEnumMemberName("IVa")] IVa,
    [JsonStringEnumMemberName("IVb")] IVb,
    [JsonStringEnumMemberName("V")] V,
}

[JsonConverter(typeof(JsonStringEnumConverter<AntibodyResult>))]
public enum AntibodyResult
{
    [JsonStringEnumMemberName("unknown")] Unknown,
    [JsonStringEnumMemberName("positive")] Positive,
    [JsonStringEnumMemberName("negative")] Negative,
}

[JsonConverter(typeof(JsonStringEnumConverter<Electrodiagnostics>))]
public enum Electrodiagnostics
{
    [JsonStringEnumMemberName("not_done")] NotDone,
    [JsonStringEnumMemberName("supportive")] Supportive,
    [JsonStringEnumMemberName("normal")] Normal,
}

[JsonConverter(typeof(JsonStringEnumConverter<IgaStatus>))]
public enum IgaStatus
{
    [JsonStringEnumMemberName("unknown")] Unknown,
    [JsonStringEnumMemberName("normal")] Normal,
    [JsonStringEnumMemberName("deficient")] Deficient,
    [JsonStringEnumMemberName("deficient_with_anti_iga")] DeficientWithAntiIga,
}

[JsonConverter(typeof(JsonStringEnumConverter<TherapyOutcome>))]
public enum TherapyOutcome
{
    [JsonStringEnumMemberName("inadequate_response")] InadequateResponse,
    [JsonStringEnumMemberName("intolerant")] Intolerant,
    [JsonStringEnumMemberName("contraindicated")] Contraindicated,
    [JsonStringEnumMemberName("effective")] Effective,
    [JsonStringEnumMemberName("ongoing")] Ongoing,
}
