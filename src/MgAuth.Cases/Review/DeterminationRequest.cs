using System.Globalization;
using System.Text.Json;
using MgAuth.Cases.Security;
using MgAuth.Domain.Decisions;
using MgAuth.Domain.Requests;

namespace MgAuth.Cases.Review;

/// <summary>The body of POST /v1/authorizations/{id}/determination, as sent.</summary>
public sealed record DeterminationBody(
    string? Action,
    string? ReasonCode,
    string? Rationale,
    ModifiedRegimenBody? ModifiedRegimen,
    IReadOnlyList<string>? MissingDocumentation,
    string? ReviewerNpi);

public sealed record ModifiedRegimenBody(decimal? GramsPerDay, int? InfusionDays, int? Cycles, int? IntervalDays, string? StartDate);

/// <summary>
/// A determination body that passed validation. It is signed with the NPI of the key that sends it: a
/// <c>reviewerNpi</c> in the body is accepted only when it is that NPI.
/// </summary>
public sealed record DeterminationRequest(
    DeterminationAction Action,
    string? ReasonCode,
    string Rationale,
    ModifiedRegimen? ModifiedRegimen,
    IReadOnlyList<string>? MissingDocumentation)
{
    public const int MaxRationale = 4000;

    /// <summary>
    /// Reads and checks a body; every offending field is reported at once, as for a request. The action is
    /// returned whenever it could be read, so that a role that may not take it hears that first.
    /// <paramref name="signerNpi"/> is the NPI on the caller's key (null when the key has none).
    /// </summary>
    public static (DeterminationRequest? Request, DeterminationAction? Action, ProblemDocument? Problem) Read(byte[] json, string? signerNpi)
    {
        DeterminationBody? body;
        try
        {
            body = JsonSerializer.Deserialize<DeterminationBody>(json, MgAuthJson.Compact);
        }
        catch (JsonException e)
        {
            return (null, null, ProblemDocument.NotJson(e.Message));
        }
        if (body is null) return (null, null, ProblemDocument.NotJson("the body is null"));

        var errors = new Dictionary<string, string[]>();
        DeterminationAction action = default;
        if (body.Action is null) errors["action"] = ["is required"];
        else if (!ContractNames.TryParse(body.Action, out action))
            errors["action"] = [$"must be one of {string.Join(", ", ContractNames.All<DeterminationAction>())}"];
        var known = errors.Count == 0;

        if (body.ReasonCode is null)
        {
            if (known && action != DeterminationAction.Approve) errors["reasonCode"] = ["is required: a code from the policy's set"];
        }
        else if (!ReasonCodes.All.Contains(body.ReasonCode))
            errors["reasonCode"] = [$"'{body.ReasonCode}' is not a reason code of the policy"];

        if (string.IsNullOrWhiteSpace(body.Rationale)) errors["rationale"] = ["is required: say why, in words the provider can read"];
        else if (body.Rationale.Length > MaxRationale) errors["rationale"] = [$"must be at most {MaxRationale} characters"];

        ModifiedRegimen? modified = null;
        if (known && action == DeterminationAction.ApproveModified)
        {
            if (body.ModifiedRegimen is null) errors["modifiedRegimen"] = ["is required to approve a modified regimen"];
            else modified = ReadRegimen(body.ModifiedRegimen, errors);
        }
        else if (body.ModifiedRegimen is not null) errors["modifiedRegimen"] = ["is only for approve_modified"];

        IReadOnlyList<string>? missing = null;
        if (known && action == DeterminationAction.RequestInformation)
        {
            missing = body.MissingDocumentation?.Where(m => !string.IsNullOrWhiteSpace(m)).Select(m => m.Trim()).Distinct().ToArray() ?? [];
            if (missing.Count == 0) errors["missingDocumentation"] = ["name at least one item the provider must send"];
            else if (missing.Count > 50 || missing.Any(m => m.Length > 200))
                errors["missingDocumentation"] = ["at most 50 items of at most 200 characters"];
        }
        else if (body.MissingDocumentation is { Count: > 0 }) errors["missingDocumentation"] = ["is only for request_information"];

        if (body.ReviewerNpi is not null && !IsNpi(body.ReviewerNpi)) errors["reviewerNpi"] = ["must be 10 digits"];
        else if (body.ReviewerNpi is not null && body.ReviewerNpi != signerNpi)
            errors["reviewerNpi"] = [signerNpi is null
                ? "your API key carries no NPI, so a determination cannot be signed with one; leave reviewerNpi out"
                : "must be the NPI on your API key (a determination is signed with it); leave reviewerNpi out to use it"];

        if (errors.Count > 0) return (null, known ? action : null, ProblemDocument.InvalidRequest(errors));
        return (new DeterminationRequest(action, body.ReasonCode, body.Rationale!.Trim(), modified, missing), action, null);
    }

    private static ModifiedRegimen? ReadRegimen(ModifiedRegimenBody r, Dictionary<string, string[]> errors)
    {
        const string at = "modifiedRegimen.";
        if (r.GramsPerDay is not { } grams) errors[at + "gramsPerDay"] = ["is required"];
        else if (grams is <= 0 or > 500) errors[at + "gramsPerDay"] = ["must be more than 0 and at most 500"];
        if (r.InfusionDays is not { } days) errors[at + "infusionDays"] = ["is required"];
        else if (days is < 1 or > 14) errors[at + "infusionDays"] = ["must be from 1 to 14"];
        var cycles = r.Cycles ?? 1;
        if (cycles is < 1 or > 52) errors[at + "cycles"] = ["must be from 1 to 52"];
        if (cycles > 1 && r.IntervalDays is null) errors[at + "intervalDays"] = ["is required when cycles > 1"];
        else if (r.IntervalDays is < 7 or > 180) errors[at + "intervalDays"] = ["must be from 7 to 180"];
        DateOnly start = default;
        if (r.StartDate is null) errors[at + "startDate"] = ["is required"];
        else if (!DateOnly.TryParseExact(r.StartDate, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out start))
            errors[at + "startDate"] = ["must be a date in the form YYYY-MM-DD"];
        return errors.Keys.Any(k => k.StartsWith(at, StringComparison.Ordinal))
            ? null
            : new ModifiedRegimen(r.GramsPerDay!.Value, r.InfusionDays!.Value, cycles, cycles > 1 ? r.IntervalDays : null, start);
    }

    private static bool IsNpi(string npi) => npi.Length == 10 && npi.All(char.IsAsciiDigit);
}
