using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using MgAuth.Domain.Decisions;
using MgAuth.Domain.Requests;

namespace MgAuth.RulePacks.Tests.Golden;

/// <summary>One line of the golden file: whose decision it is, its reason codes, and the line itself.</summary>
public sealed record GoldenLine(string Id, IReadOnlyList<string> Reasons, string Text);

/// <summary>
/// What a decision must keep whichever engine makes it: outcome, status, codes and numbers, read from the
/// Decision record only. Hashes, the trace and evidence are left out; messages are kept, since they carry this member's values.
/// </summary>
public static class DecisionSummary
{
    public static GoldenLine Of(string id, Decision decision)
    {
        var reasons = decision.Reasons.Select(r => r.Code).ToArray();
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("id", id);
            json.WriteString("decision", ContractNames.Of(decision.Outcome));
            json.WriteString("status", ContractNames.Of(decision.Status));
            if (decision.DenialKind is { } denialKind) json.WriteString("denialKind", ContractNames.Of(denialKind));
            json.WriteString("x12", decision.X12ReviewAction);
            json.WriteString("urgency", ContractNames.Of(decision.Urgency));
            Strings(json, "reasons", reasons);
            Strings(json, "messages", decision.Reasons.Select(r => r.Message).ToArray());
            if (decision.MissingDocumentation.Count > 0) Strings(json, "missing", decision.MissingDocumentation);

            json.WriteStartObject("dosingWeight");
            Number(json, "kg", decision.DosingWeight!.Kg);
            json.WriteString("method", ContractNames.Of(decision.DosingWeight!.Method));
            Number(json, "idealKg", decision.DosingWeight!.IdealKg);
            json.WriteEndObject();

            var requested = decision.Requested!;
            json.WriteStartObject("requested");
            Number(json, "courseGrams", requested.CourseGrams);
            Number(json, "gramsPerKg", requested.GramsPerKgPerCourse);
            json.WriteNumber("cycles", requested.Cycles);
            Date(json, "from", requested.PeriodStart);
            Date(json, "through", requested.PeriodEnd);
            json.WriteEndObject();

            if (decision.Authorized is { } authorized)
            {
                json.WriteStartObject("authorized");
                Number(json, "courseGrams", authorized.CourseGrams);
                json.WriteNumber("cycles", authorized.Cycles);
                Number(json, "totalGrams", authorized.TotalGrams);
                Date(json, "from", authorized.ValidFrom);
                Date(json, "through", authorized.ValidThrough);
                json.WriteEndObject();
            }
            if (decision.ApprovableAlternative is { } alternative) Number(json, "approvableCourseGrams", alternative.CourseGrams);
            json.WriteEndObject();
        }
        return new GoldenLine(id, reasons, Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    private static void Strings(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values) json.WriteStringValue(value);
        json.WriteEndArray();
    }

    // Dividing by 1.000… drops trailing zeros: the value must not change, its scale (150.0 or 150) may.
    private static void Number(Utf8JsonWriter json, string name, decimal value) =>
        json.WriteNumber(name, value / 1.0000000000000000000000000000m);

    private static void Date(Utf8JsonWriter json, string name, DateOnly date) =>
        json.WriteString(name, date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
}
