using System.Globalization;
using System.Text.Json.Nodes;
using MgAuth.Domain.Facts;
using MgAuth.Domain.Requests;

namespace MgAuth.RulePacks.Tests.Golden;

/// <summary>A generated request: the contract JSON, what RequestReader made of it, and the member's approved authorizations.</summary>
public sealed record GeneratedRequest(int Index, string Json, AuthorizationRequest Request, IReadOnlyList<ApprovedAuthorization> History);

/// <summary>
/// Valid contract requests drawn from a seed, aimed at the policies' thresholds, lists and boundaries so that
/// their decisions reach every reason code. Request i depends only on the seed and i, so one can be rebuilt alone.
/// The figures here only aim; what the engine makes of them is what the golden file records.
/// </summary>
public sealed class RequestGenerator
{
    public static readonly DateOnly AsOf = new(2026, 11, 22);

    private static readonly string[] Formulary =
        ["Gamunex-C", "Gammagard Liquid", "Privigen", "Octagam 10%", "Gammaplex", "Flebogamma DIF", "Bivigam", "Panzyga", "Asceniv", "Gammaked"];
    private static readonly string[] OffFormulary = ["Hizentra", "Cuvitru", "Xembify", "Octagam 5%", "Gamunex", "Cutaquig"];
    private static readonly string[] Corticosteroids = ["prednisone", "prednisolone", "methylprednisolone"];
    private static readonly (string Agent, decimal AdequateMonths)[] SteroidSparing =
    [
        ("azathioprine", 12), ("mycophenolate", 6), ("tacrolimus", 6), ("cyclosporine", 6),
        ("methotrexate", 6), ("cyclophosphamide", 6), ("rituximab", 6),
    ];
    private static readonly string[] Unlisted = ["pyridostigmine", "eculizumab", "efgartigimod", "plasma exchange", "IVIG"];

    private readonly Random _random;
    private readonly int _index;
    private bool _clean;
    private bool _mild;
    private decimal _dosingKg;
    private bool _hyperprolinemia;
    private bool _fructoseIntolerance;
    private DateOnly _start;
    private readonly List<(DateOnly Start, Indication Indication)> _declaredCourses = [];

    private RequestGenerator(int seed, int index)
    {
        _random = new Random(unchecked(seed + index));
        _index = index;
    }

    public static IEnumerable<GeneratedRequest> Generate(int seed, int count) =>
        Enumerable.Range(0, count).Select(index => Request(seed, index));

    public static GeneratedRequest Request(int seed, int index) => new RequestGenerator(seed, index).Build();

    private GeneratedRequest Build()
    {
        var indication = Pick(Indication.Exacerbation, Indication.Exacerbation, Indication.Crisis, Indication.PreThymectomy,
            Indication.BridgingSteroids, Indication.RefractoryMaintenance, Indication.RefractoryMaintenance);
        var continuation = Chance(indication == Indication.RefractoryMaintenance ? 0.4 : 0.03);
        // Clean requests leave only the indication's own criteria in doubt, so approvals are well represented.
        _clean = Chance(0.4);
        // Mild, non-bulbar MG: below every severity threshold, where bridging and surgery need more than the class.
        _mild = Chance(0.15);

        var root = new JsonObject();
        Optional(root, "urgency", Pick<string?>(null, null, "standard", "standard", "expedited"));
        root["indication"] = ContractNames.Of(indication);
        if (continuation || Chance(0.2)) root["continuation"] = continuation;
        root["member"] = Member();
        if (Chance(0.6)) root["provider"] = Chance(0.9) ? new JsonObject { ["npi"] = Digits(10) } : new JsonObject();
        root["diagnosis"] = Diagnosis(indication);
        if (Chance(0.96)) root["clinical"] = Clinical(indication);
        root["regimen"] = Regimen(indication);
        if (Chance(indication == Indication.PreThymectomy ? 0.88 : 0.03)) root["plannedSurgery"] = PlannedSurgery();
        if (Chance(indication == Indication.BridgingSteroids ? 0.88 : 0.03)) root["plannedCorticosteroid"] = PlannedCorticosteroid();
        if (PriorTherapies(indication) is { Count: > 0 } therapies) root["priorTherapies"] = therapies;
        if (Chance(0.25)) root["priorIvigCourses"] = PriorIvigCourses();
        if (Chance(continuation ? 0.85 : 0.04)) root["priorIvigResponse"] = PriorIvigResponse();

        var json = root.ToJsonString();
        var read = RequestReader.Read(json, AsOf);
        if (read.Problem is { } problem)
            Assert.Fail($"generated request {_index} is invalid ({string.Join("; ", problem.Errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}"))}): {json}");
        return new GeneratedRequest(_index, json, read.Request!, History());
    }

    private JsonObject Member()
    {
        var paediatric = Trouble(0.12);
        var birthDate = Trouble(0.06)
            ? AsOf.AddYears(-18).AddDays(Between(-1, 1))  // the 18th birthday yesterday, today or tomorrow
            : AsOf.AddYears(-(paediatric ? Between(1, 17) : Between(18, 92))).AddDays(-Between(0, 364));
        var sex = Pick("female", "female", "female", "male", "male", "male", "other", "unknown");
        var heightCm = paediatric ? Tenths(80, 185)
            : Chance(0.15) ? Pick(152.3m, 152.4m, Tenths(138, 152.3m))         // short stature: dosed on actual weight
            : Chance(0.3) ? Between(60, 78) * 2.54m                            // whole inches: Devine gives round figures
            : sex == "male" ? Tenths(158, 200) : Tenths(148, 185);

        // Devine ideal weight with the policy's figures, to put some members on the 120 % line for the adjusted weight.
        var idealKg = (sex == "male" ? 50m : 45.5m) + 2.3m * (heightCm / 2.54m - 60);
        var weightKg = !paediatric && heightCm >= 152.4m && Chance(0.12)
            ? Math.Round(1.2m * idealKg, 1) + Pick(-0.1m, 0m, 0.1m)
            : Math.Round(Tenths(paediatric ? 13 : 16, paediatric ? 28 : 48) * heightCm * heightCm / 10000, 1);
        weightKg = Math.Clamp(weightKg, 2, 400);
        _dosingKg = heightCm < 152.4m || weightKg <= 1.2m * idealKg ? weightKg : idealKg + 0.4m * (weightKg - idealKg);

        return new JsonObject
        {
            ["id"] = $"M-G{_index:D4}",
            ["birthDate"] = Date(birthDate),
            ["sex"] = sex,
            ["weightKg"] = weightKg,
            ["heightCm"] = heightCm,
        };
    }

    private JsonObject Diagnosis(Indication indication)
    {
        var diagnosis = new JsonObject
        {
            ["icd10"] = Trouble(0.1) ? Pick("G70.2", "G70.80", "G70.9", "G73.3", "G71.00", "G61.0") : Pick("G70.00", "G70.01", "G70.01", "g70.00"),
            ["mgfaClass"] = Trouble(0.08) ? "I"
                : _mild ? Pick("IIa", "IIb")
                : indication == Indication.Crisis && Chance(0.35) ? "V"
                : Pick("IIa", "IIa", "IIb", "IIb", "IIIa", "IIIa", "IIIb", "IVa", "IVb", "V"),
        };

        // Seropositive, seronegative with every test resulted, or anything (unknown and not done included).
        var antibodies = new string?[3];
        string? electrodiagnostics;
        var profile = _clean ? 0 : _random.NextDouble();
        if (profile < 0.55)
        {
            for (var i = 0; i < 3; i++) antibodies[i] = Pick<string?>(null, "unknown", "negative");
            antibodies[Between(0, 2)] = "positive";
            electrodiagnostics = Pick<string?>(null, "not_done", "supportive", "normal");
        }
        else if (profile < 0.75)
        {
            Array.Fill(antibodies, "negative");
            electrodiagnostics = Pick("normal", "normal", "supportive");
        }
        else
        {
            for (var i = 0; i < 3; i++) antibodies[i] = Pick<string?>(null, "unknown", "negative", "positive");
            electrodiagnostics = Pick<string?>(null, "not_done", "normal", "supportive");
        }
        Optional(diagnosis, "achrAntibody", antibodies[0]);
        Optional(diagnosis, "muskAntibody", antibodies[1]);
        Optional(diagnosis, "lrp4Antibody", antibodies[2]);
        Optional(diagnosis, "electrodiagnostics", electrodiagnostics);
        return diagnosis;
    }

    private JsonObject Clinical(Indication indication)
    {
        var clinical = new JsonObject();
        // Severity from 6 (MG-ADL) and 11 (QMG); worsening from +2 (MG-ADL) and more than +3 (QMG).
        Scores(clinical, "mgAdl", max: 24, severeFrom: 6, worseFrom: 2);
        Scores(clinical, "qmg", max: 39, severeFrom: 11, worseFrom: 4);
        Flag(clinical, "bulbarDysfunction", _mild ? 0 : 0.3);
        if (Chance(indication == Indication.Crisis ? 0.75 : 0.08))
        {
            var respiratory = new JsonObject();
            Flag(respiratory, "intubated", 0.25);
            Flag(respiratory, "nonInvasiveVentilation", 0.2);
            if (Chance(0.6)) respiratory["fvcMlPerKg"] = Pick(12m, 18.5m, 19.9m, 20m, 20.1m, 24m, 35m, 55m);
            clinical["respiratory"] = respiratory;
        }
        if (Chance(0.6)) clinical["egfr"] = _clean ? Between(30, 125) : Chance(0.4) ? Pick(29m, 29.9m, 30m, 30.1m, 59m, 59.9m, 60m) : Between(8, 125);
        Flag(clinical, "diabeticNephropathy", 0.08);
        Optional(clinical, "igaStatus", Trouble(0.1) ? "deficient_with_anti_iga" : Pick<string?>(null, null, null, "unknown", "normal", "normal", "deficient"));
        Flag(clinical, "thromboembolicHistory", 0.08);
        Flag(clinical, "heartFailure", 0.08);
        Flag(clinical, "priorIgAnaphylaxis", _clean ? 0 : 0.05);
        _hyperprolinemia = Flag(clinical, "hyperprolinemia", 0.07);
        _fructoseIntolerance = Flag(clinical, "hereditaryFructoseIntolerance", 0.07);
        Flag(clinical, "immunosuppressantsContraindicated", indication == Indication.RefractoryMaintenance ? 0.12 : 0.03);
        return clinical;
    }

    // A score now and at baseline: both (mostly), one of them, or neither.
    private void Scores(JsonObject clinical, string name, int max, int severeFrom, int worseFrom)
    {
        var shape = _clean ? 1 : _random.NextDouble();
        if (shape < 0.2) return;
        var current = _mild ? Between(0, severeFrom - 1) : Chance(0.5) ? severeFrom + Between(-2, 1) : Between(0, max * 2 / 3);
        var baseline = Math.Clamp(current - worseFrom - Between(-3, 2), 0, max);
        clinical[name] = shape switch
        {
            < 0.25 => new JsonObject { ["current"] = current },
            < 0.3 => new JsonObject { ["baseline"] = baseline },
            _ => new JsonObject { ["current"] = current, ["baseline"] = baseline },
        };
    }

    private JsonObject Regimen(Indication indication)
    {
        var regimen = new JsonObject();
        var product = Chance(0.1) ? null
            : _hyperprolinemia && Trouble(0.5) ? Pick("Privigen", "Hizentra")
            : _fructoseIntolerance && Trouble(0.5) ? "Gammaplex"
            : Trouble(0.18) ? Pick(OffFormulary)
            : Pick(Formulary);
        Optional(regimen, "product", product is not null && Chance(0.08) ? product.ToLowerInvariant() : product);

        var days = Trouble(0.1) ? Pick(6, 6, 7, 8, 10, 14) : _clean ? Pick(2, 3, 4, 5, 5) : Pick(1, 2, 2, 2, 3, 4, 5, 5, 5, 5);
        var (cycles, interval) = indication == Indication.RefractoryMaintenance ? MaintenanceSchedule()
            : Trouble(0.12) ? (Between(2, 4), Pick(14, 21, 28, 42))
            : (1, Chance(0.1) ? Pick(21, 28) : (int?)null);
        regimen["gramsPerDay"] = GramsPerDay(days, cycles, interval);
        regimen["infusionDays"] = days;
        if (cycles > 1 || Chance(0.3)) regimen["cycles"] = cycles;
        Optional(regimen, "intervalDays", interval);
        _start = AsOf.AddDays(Between(-7, 30));
        regimen["startDate"] = Date(_start);
        return regimen;
    }

    // Periods near the restrictive policy's 30 days and the standard policy's 180-day cap, and anything between.
    private (int Cycles, int? Interval) MaintenanceSchedule()
    {
        var shape = _random.NextDouble();
        if (shape < 0.2) return (1, Chance(0.5) ? 28 : null);
        if (shape < 0.4)
        {
            var few = Between(2, 4);
            return (few, Math.Max(7, 30 / few + Between(-1, 1)));
        }
        var interval = Pick(14, 15, 21, 26, 28, 28, 30, 35, 36, 42, 45, 56);
        return shape < 0.75 ? (Math.Clamp(180 / interval + Between(-1, 1), 2, 52), interval) : (Between(2, 13), interval);
    }

    // Course grams around the 2 g/kg ceiling rounded up to a 5 g vial, over it, under it, or a daily dose around 1 g/kg.
    private decimal GramsPerDay(int days, int cycles, int? interval)
    {
        var kg = _dosingKg;
        decimal course;
        if (cycles > 1 && interval is { } every && Chance(0.7))  // maintenance intensity per 28 days
            course = (_clean ? Pick(1m, 1.5m, 1.9m, 2m) : Pick(1.9m, 2m, 2m, 2.01m, 2.1m, Tenths(0.4m, 2.4m))) * kg * every / 28;
        else
            course = (_clean ? 0.5 : _random.NextDouble()) switch
            {
                < 0.35 => VialCeiling(2 * kg) + Between(-6, 6),
                < 0.65 => Pick(1m, 1.5m, 2m, 2m) * kg,
                < 0.82 => Tenths(2.1m, 4m) * kg,
                _ => Tenths(0.3m, 1m) * kg,
            };
        var perDay = Trouble(0.15) ? VialCeiling(kg) + Between(-3, 3) : course / days;
        return Math.Clamp(Math.Round(perDay, Chance(0.7) ? 0 : 1), 0.5m, 500m);
    }

    private JsonObject PlannedSurgery()
    {
        var surgery = new JsonObject
        {
            ["procedure"] = Pick("thymectomy", "thymectomy", "thymectomy", "thymectomy", "Thymectomy", "THYMECTOMY",
                "robotic thymectomy", "sternotomy", "cholecystectomy"),
        };
        // The policy wants surgery within 30 days after the course starts.
        if (Chance(0.85)) surgery["date"] = Date(_start.AddDays(Pick(-5, -1, 0, 1, 7, 14, 21, 29, 30, 31, 45)));
        return surgery;
    }

    // Bridging wants at least 0.75 mg/kg/day starting within 14 days after the course starts.
    private JsonObject PlannedCorticosteroid() => new()
    {
        ["startDate"] = Date(_start.AddDays(Pick(-3, -1, 0, 1, 5, 7, 10, 13, 14, 15, 21))),
        ["prednisoneMgPerKgPerDay"] = Pick(0.5m, 0.6m, 0.74m, 0.75m, 0.76m, 0.8m, 1m, 1m, 1.25m),
    };

    private JsonArray PriorTherapies(Indication indication)
    {
        var therapies = new JsonArray();
        // Near-refractory histories: a corticosteroid and one to three steroid-sparing agents, months around adequacy.
        if (indication == Indication.RefractoryMaintenance && (_clean || Chance(0.5)))
        {
            therapies.Add(Therapy(Pick(Corticosteroids), 3, failed: true));
            for (var n = Between(1, 3); n > 0; n--)
            {
                var (agent, months) = Pick(SteroidSparing);
                therapies.Add(Therapy(agent, months, failed: true));
            }
        }
        // Bridging is for a first corticosteroid course.
        if (indication == Indication.BridgingSteroids && Chance(0.35)) therapies.Add(Therapy(Pick(Corticosteroids), 3, failed: false));
        for (var n = Between(0, indication == Indication.BridgingSteroids ? 1 : 3); n > 0; n--)
        {
            var (agent, months) = _random.NextDouble() switch
            {
                < 0.25 when indication != Indication.BridgingSteroids => (Pick(Corticosteroids), 3m),
                < 0.7 => Pick(SteroidSparing),
                _ => (Pick(Unlisted), 6m),
            };
            therapies.Add(Therapy(agent, months, failed: false));
        }
        return therapies;
    }

    private JsonObject Therapy(string agent, decimal adequateMonths, bool failed)
    {
        var therapy = new JsonObject { ["agent"] = Chance(0.08) ? agent.ToUpperInvariant() : agent };
        if (Chance(0.92)) therapy["months"] = Math.Max(0, adequateMonths + Pick(-1m, -0.1m, 0m, 0m, 0.1m, 2m, Tenths(-adequateMonths, 24)));
        therapy["outcome"] = failed
            ? Pick("inadequate_response", "inadequate_response", "inadequate_response", "intolerant", "contraindicated")
            : Pick("inadequate_response", "inadequate_response", "intolerant", "contraindicated", "effective", "ongoing");
        return therapy;
    }

    // Courses the provider declares: three acute ones within 180 days before the start are recurrent.
    private JsonArray PriorIvigCourses()
    {
        var courses = new JsonArray();
        for (var n = Between(1, 4); n > 0; n--)
        {
            var start = Chance(0.05) ? _start.AddDays(Between(0, 5)) : _start.AddDays(-Pick(1, 20, 45, 60, 90, 120, 150, 179, 180, 181, 210));
            var indication = Pick(Indication.Exacerbation, Indication.Exacerbation, Indication.Crisis, Indication.Crisis,
                Indication.PreThymectomy, Indication.BridgingSteroids, Indication.RefractoryMaintenance);
            _declaredCourses.Add((start, indication));
            courses.Add(new JsonObject { ["startDate"] = Date(start), ["indication"] = ContractNames.Of(indication) });
        }
        return courses;
    }

    // A response is a decrease of 2 on MG-ADL or 3 on QMG.
    private JsonObject PriorIvigResponse()
    {
        var response = new JsonObject();
        ScoreChange(response, "mgAdl", max: 24, respondsFrom: 2);
        ScoreChange(response, "qmg", max: 39, respondsFrom: 3);
        return response;
    }

    private void ScoreChange(JsonObject response, string name, int max, int respondsFrom)
    {
        var shape = _random.NextDouble();
        if (shape < 0.25) return;
        var before = Between(3, max);
        response[name + "Before"] = before;
        if (shape >= 0.35) response[name + "After"] = Math.Clamp(before - respondsFrom - Between(-3, 2), 0, max);
    }

    // The plan's approved authorizations: overlapping the requested period, adjacent to it, earlier, or a declared course again.
    private List<ApprovedAuthorization> History()
    {
        var history = new List<ApprovedAuthorization>();
        if (!Trouble(0.25)) return history;
        var count = Between(1, 3);
        for (var k = 1; k <= count; k++)
        {
            var indication = Pick(Indication.Exacerbation, Indication.Exacerbation, Indication.Crisis, Indication.PreThymectomy,
                Indication.BridgingSteroids, Indication.RefractoryMaintenance);
            var shape = _random.NextDouble();
            DateOnly from;
            if (shape < 0.3) from = _start.AddDays(Between(-40, 20));
            else if (shape < 0.45) from = _start.AddDays(-30);
            else if (shape < 0.6 && _declaredCourses.Count > 0) (from, indication) = Pick(_declaredCourses.ToArray());
            else from = _start.AddDays(-Between(31, 200));
            var days = indication == Indication.RefractoryMaintenance ? Pick(84, 168, 180) : 30;
            history.Add(new ApprovedAuthorization($"PA-G{_index}-{k}", indication, from, from.AddDays(days - 1)));
        }
        return history;
    }

    private bool Chance(double probability) => _random.NextDouble() < probability;

    // A chance of something that sends the request to review or denial; never for a clean request.
    private bool Trouble(double probability) => !_clean && Chance(probability);

    private int Between(int min, int max) => _random.Next(min, max + 1);

    private decimal Tenths(decimal min, decimal max) => Between((int)(min * 10), (int)(max * 10)) / 10m;

    private T Pick<T>(params T[] items) => items[_random.Next(items.Length)];

    private string Digits(int count) => string.Concat(Enumerable.Range(0, count).Select(_ => (char)('0' + _random.Next(10))));

    // A boolean flag: true, or sometimes an explicit false, or absent.
    private bool Flag(JsonObject target, string name, double probability)
    {
        var value = Chance(probability);
        if (value || Chance(0.1)) target[name] = value;
        return value;
    }

    private static void Optional(JsonObject target, string name, JsonNode? value)
    {
        if (value is not null) target[name] = value;
    }

    private static decimal VialCeiling(decimal grams) => Math.Ceiling(grams / 5) * 5;

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
