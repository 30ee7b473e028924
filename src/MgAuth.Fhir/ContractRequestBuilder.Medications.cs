using System.Text.Json.Nodes;
using Hl7.Fhir.Model;
using MgAuth.Domain.Terminology;

namespace MgAuth.Fhir;

/// <summary>
/// Prior therapies as US Core MedicationRequests (and MedicationStatements): the agent from its RxNorm ingredient by
/// the release's agent value sets, how long it was taken from the dispense request, the outcome from a status
/// reason in MgAuth's terms or an active status (ongoing). What the record does not say stays absent.
/// </summary>
internal sealed partial class ContractRequestBuilder
{
    private const decimal DaysPerMonth = 30.4375m;

    private JsonObject PriorTherapy(MedicationRequest order, string at, string path)
    {
        var therapy = Therapy(order.Medication as CodeableConcept, order.StatusReason is null ? [] : [order.StatusReason],
            order.Status == MedicationRequest.MedicationrequestStatus.Active, at, path);

        var dispense = order.DispenseRequest;
        Source(at + ".months", path + ".dispenseRequest");
        if (dispense?.ValidityPeriod is { } validity && MonthsBetween(validity) is { } valid)
        {
            therapy["months"] = valid;
            _sources[at + ".months"] = path + ".dispenseRequest.validityPeriod";
        }
        else if (dispense?.ExpectedSupplyDuration is { } supply)
        {
            // Each fill lasts the expected supply; the first fill and every refill allowed.
            if (Days.Read(supply, out var error) is { } days)
            {
                var fills = (dispense.NumberOfRepeatsAllowed ?? 0) + 1;
                therapy["months"] = Math.Round(days.GetValue<decimal>() * fills / DaysPerMonth, 1, MidpointRounding.AwayFromZero);
                _sources[at + ".months"] = path + ".dispenseRequest.expectedSupplyDuration";
            }
            else Problems.Add(new FhirProblem(path + ".dispenseRequest.expectedSupplyDuration", $"{at}.months {error}"));
        }
        return therapy;
    }

    /// <summary>A prior therapy's agent and outcome, from a MedicationStatement or a MedicationRequest alike.</summary>
    private JsonObject Therapy(CodeableConcept? medication, IEnumerable<CodeableConcept> reasons, bool active, string at, string path)
    {
        var therapy = new JsonObject();
        _sources[at] = path;
        Source(at + ".agent", path + ".medicationCodeableConcept");
        if (Agent(medication) is { } agent) therapy["agent"] = agent;
        Source(at + ".outcome", path + ".statusReason");
        if (Outcome(reasons) is { } outcome) therapy["outcome"] = outcome;
        else if (active)
        {
            therapy["outcome"] = Domain.Requests.ContractNames.Of(Domain.Requests.TherapyOutcome.Ongoing);
            _sources[at + ".outcome"] = path + ".status";
        }
        return therapy;
    }

    /// <summary>The agent by its RxNorm ingredient (the agent value set's name, as the policy's agents list says it), else as written.</summary>
    private string? Agent(CodeableConcept? medication) =>
        terminology.Find(ContractFacts.TherapyAgent, medication)?.Title ?? Text(medication);

    private static string? Outcome(IEnumerable<CodeableConcept> reasons)
    {
        foreach (var coding in reasons.SelectMany(r => r.Coding))
            if (coding.System == FindingCodes.System && FindingCodes.TherapyOutcomes.TryParse(coding.Code, out var outcome))
                return outcome;
        return null;
    }

    /// <summary>Whole days from start to end in months, to 0.1; null when either end is missing.</summary>
    private static decimal? MonthsBetween(Period period)
    {
        if (FhirDates.Day(period.Start) is not { } start || FhirDates.Day(period.End) is not { } end || end < start) return null;
        return Math.Round((end.DayNumber - start.DayNumber) / DaysPerMonth, 1, MidpointRounding.AwayFromZero);
    }
}
