using Hl7.Fhir.Model;
using MgAuth.Domain.Terminology;

namespace MgAuth.Fhir;

/// <summary>One question of the DTR questionnaire: its linkId is the contract field it answers.</summary>
internal sealed record QuestionItem(string LinkId, string Text, Hl7.Fhir.Model.Questionnaire.QuestionnaireItemType Type, IReadOnlyList<Coding> Codes)
{
    /// <summary>How the answer becomes the contract value (null for a group).</summary>
    public ObservedValue? Value { get; init; }

    public string? AnswerValueSet { get; init; }

    public string? Unit { get; init; }

    public bool Required { get; init; }

    public bool Repeats { get; init; }

    public int? MinValue { get; init; }

    public int? MaxValue { get; init; }

    /// <summary>SDC initialExpression (FHIRPath over the EHR's data): pre-population.</summary>
    public string? InitialExpression { get; init; }

    /// <summary>SDC calculatedExpression: computed by the form, read-only.</summary>
    public string? CalculatedExpression { get; init; }

    /// <summary>SDC enableWhenExpression: asked only when it holds.</summary>
    public string? EnableWhenExpression { get; init; }

    public IReadOnlyList<QuestionItem> Items { get; init; } = [];
}

/// <summary>
/// The Da Vinci DTR questionnaire for an IVIG request in myasthenia gravis: only what MgAuth's policy reads and no
/// standard code in a PAS request carries (indication, MGFA class, MG-ADL with its eight items, QMG, baselines,
/// infusion days, prior-therapy outcomes, respiratory state, the prior IVIG response), plus the measurements an
/// EHR holds in LOINC (weight, height, eGFR), pre-populated from them. Each linkId is the contract field it answers,
/// so <see cref="QuestionnaireAnswers"/> reads a response with the same table this questionnaire is written from.
/// </summary>
public static partial class DtrQuestionnaire
{
    /// <summary>The Questionnaire's id: <c>GET /fhir/Questionnaire/{Id}</c> reads it.</summary>
    public const string Id = "ivig-mg";

    public const string Url = "http://mgauth.example/fhir/Questionnaire/" + Id;
    public const string Version = "1.0.0";
    public const string Canonical = Url + "|" + Version;

    private const string ValueSetBase = "http://mgauth.example/fhir/ValueSet/";
    private const string Sdc = "http://hl7.org/fhir/uv/sdc/StructureDefinition/";
    internal const string FhirPath = "text/fhirpath";

    /// <summary>The MG-ADL items, in the scale's order (Wolfe et al. 1999): each scored 0-3, the total 0-24.</summary>
    internal static IReadOnlyList<(string LinkId, string Code, string Text)> MgAdlItems { get; } =
    [
        ("clinical.mgAdl.talking", FindingCodes.MgAdlTalking, "Talking"),
        ("clinical.mgAdl.chewing", FindingCodes.MgAdlChewing, "Chewing"),
        ("clinical.mgAdl.swallowing", FindingCodes.MgAdlSwallowing, "Swallowing"),
        ("clinical.mgAdl.breathing", FindingCodes.MgAdlBreathing, "Breathing"),
        ("clinical.mgAdl.grooming", FindingCodes.MgAdlGrooming, "Impairment of ability to brush teeth or comb hair"),
        ("clinical.mgAdl.arising", FindingCodes.MgAdlArising, "Impairment of ability to arise from a chair"),
        ("clinical.mgAdl.doubleVision", FindingCodes.MgAdlDoubleVision, "Double vision"),
        ("clinical.mgAdl.eyelidDroop", FindingCodes.MgAdlEyelidDroop, "Eyelid droop"),
    ];

    internal const string AntibodyResults = ValueSetBase + "mgauth-antibody-result";
    internal const string IndicationValues = ValueSetBase + "mgauth-indication";
    internal const string MgfaClassValues = ValueSetBase + "mgauth-mgfa-class";
    internal const string ElectrodiagnosticValues = ValueSetBase + "mgauth-electrodiagnostics";
    internal const string IgaStatusValues = ValueSetBase + "mgauth-iga-status";
    internal const string TherapyOutcomeValues = ValueSetBase + "mgauth-therapy-outcome";
    internal const string TherapyAgentValues = ValueSetBase + "mgauth-therapy-agent";

    /// <summary>The questions, grouped as the form shows them. A linkId that is a contract path is read into that field.</summary>
    internal static IReadOnlyList<QuestionItem> Items(ValueSets terminology)
    {
        QuestionItem Observed(string path, string text, Hl7.Fhir.Model.Questionnaire.QuestionnaireItemType type, string? valueSet = null) =>
            new(path, text, type, CodesOf(path, terminology))
            {
                Value = ObservedFields.All.First(f => f.Path == path).Value,
                AnswerValueSet = valueSet is null ? null : valueSet + "|" + Version,
            };
        QuestionItem Score(string path, string text, int max) => Observed(path, text, Hl7.Fhir.Model.Questionnaire.QuestionnaireItemType.Integer) with { MinValue = 0, MaxValue = max };
        QuestionItem Measured(string path, string text, string unit, string variable) =>
            Observed(path, text, Hl7.Fhir.Model.Questionnaire.QuestionnaireItemType.Decimal) with
            {
                Unit = unit,
                // The newest result, converted by the reader if the EHR wrote another UCUM unit than the item's.
                InitialExpression = $"%{variable}.entry.resource.ofType(Observation).first().value.value",
            };
        const string Order = "%order";
        return
        [
            new("request", "The IVIG request", Hl7.Fhir.Model.Questionnaire.QuestionnaireItemType.Group, [])
            {
                Items =
                [
                    new("indication", "Why is IVIG requested?", Hl7.Fhir.Model.Questionnaire.QuestionnaireItemType.Choice, [FindingCodes.Coding(FindingCodes.IndicationQuestion)])
                    {
                        Value = new CodedValue(_ => throw new NotSupportedException(),
                            c => c.System == FindingCodes.System && FindingCodes.Indications.TryParse(c.Code, out var name) ? name : null, "an indication-* code"),
                        AnswerValueSet = IndicationValues + "|" + Version,
                        Required = true,
                        InitialExpression = $"{Order}.reasonCode.coding.where(system = '{FindingCodes.System}' and code.startsWith('indication-')).first()",
                    },
                    new("regimen.infusionDays", "Over how many days is one course infused?", Hl7.Fhir.Model.Questionnaire.QuestionnaireItemType.Integer,
                        [FindingCodes.Coding(FindingCodes.InfusionDays)])
                    {
                        Value = ObservedValue.Integer, Required = true, MinValue = 1, MaxValue = 5,
                        InitialExpression = $"{Order}.dosageInstruction.first().timing.repeat.count",
                    },
                ],
            },
            new("diagnosis", "Diagnosis", Hl7.Fhir.Model.Questionnaire.QuestionnaireItemType.Group, [])
            {
                Items =
                [
                    Observed("diagnosis.mgfaClass", "MGFA clinical class", Hl7.Fhir.Model.Questionnaire.QuestionnaireItemType.Choice, MgfaClassValues) with { Required = true },
                    // Asked only when the EHR holds no AChR binding antibody result (the PAS request carries that lab itself).
                    Observed("diagnosis.achrAntibody", "Acetylcholine receptor antibody", Hl7.Fhir.Model.Questionnaire.QuestionnaireItemType.Choice, AntibodyResults)
                        with { EnableWhenExpression = "%achr.entry.resource.ofType(Observation).exists().not()" },
                    Observed("diagnosis.muskAntibody", "MuSK antibody", Hl7.Fhir.Model.Questionnaire.QuestionnaireItemType.Choice, AntibodyResults),
                    Observed("diagnosis.lrp4Antibody", "LRP4 antibody", Hl7.Fhir.Model.Questionnaire.QuestionnaireItemType.Choice, AntibodyResults),
                    Observed("diagnosis.electrodiagnostics", "Repetitive nerve stimulation or single-fibre EMG", Hl7.Fhir.Model.Questionnaire.QuestionnaireItemType.Choice,
                        ElectrodiagnosticValues),
                ],
            },
            new("measurements", "Measurements (pre-populated from the EHR)", Hl7.Fhir.Model.Questionnaire.QuestionnaireItemType.Group, [])
            {
                Items =
                [
                    Measured("member.weightKg", "Body weight (kg)", "kg", "weight") with { Required = true },
                    Measured("member.heightCm", "Body height (cm)", "cm", "height") with { Required = true },
                    Measured("clinical.egfr", "eGFR (mL/min/1.73 m2)", "mL/min/{1.73_m2}", "egfr"),
                ],
            },
            new("clinical.mgAdl", "MG-ADL (Myasthenia Gravis Activities of Daily Living)", Hl7.Fhir.Model.Questionnaire.QuestionnaireItemType.Group,
                [FindingCodes.Coding(FindingCodes.MgAdl)])
            {
                Items =
                [
                    .. MgAdlItems.Select(i => new QuestionItem(i.LinkId, i.Text + " (0-3)", Hl7.Fhir.Model.Questionnaire.QuestionnaireItemType.Integer,
                        [FindingCodes.Coding(i.Code)]) { Value = ObservedValue.Integer, MinValue = 0, MaxValue = 3 }),
                    Score("clinical.mgAdl.current", "MG-ADL total now (computed from the eight items)", 24) with
                    {
                        CalculatedExpression = "%resource.repeat(item).where(linkId in ("
                            + string.Join(" | ", MgAdlItems.Select(i => $"'{i.LinkId}'")) + ")).answer.value.aggregate($this + $total, 0)",
                    },
                    Score("clinical.mgAdl.baseline", "MG-ADL total at the member's usual state (baseline)", 24),
                ],
            },
            new("clinical.qmg", "QMG (Quantitative Myasthenia Gravis score)", Hl7.Fhir.Model.Questionnaire.QuestionnaireItemType.Group, [FindingCodes.Coding(FindingCodes.Qmg)])
            {
                Items = [Score("clinical.qmg.current", "QMG total now", 39), Score("clinical.qmg.baseline", "QMG total at the member's usual state (baseline)", 39)],
            },
            new("clinical", "Clinical state", Hl7.Fhir.Model.Questionnaire.QuestionnaireItemType.Group, [])
            {
                Items =
                [
                    Observed("clinical.bulbarDysfunction", "Bulbar dysfunction (dysphagia, dysarthria)?", Hl7.Fhir.Model.Questionnaire.QuestionnaireItemType.Boolean),
                    Observed("clinical.respiratory.intubated", "Intubated for respiratory failure?", Hl7.Fhir.Model.Questionnaire.QuestionnaireItemType.Boolean),
                    Observed("clinical.respiratory.nonInvasiveVentilation", "Needs non-invasive ventilation?", Hl7.Fhir.Model.Questionnaire.QuestionnaireItemType.Boolean),
                    Observed("clinical.respiratory.fvcMlPerKg", "Forced vital capacity per kg (mL/kg)", Hl7.Fhir.Model.Questionnaire.QuestionnaireItemType.Decimal) with { Unit = "mL/kg" },
                    Observed("clinical.igaStatus", "Serum IgA and anti-IgA antibodies", Hl7.Fhir.Model.Questionnaire.QuestionnaireItemType.Choice, IgaStatusValues),
                    Observed("clinical.immunosuppressantsContraindicated", "Is immunosuppressive therapy contraindicated?",
                        Hl7.Fhir.Model.Questionnaire.QuestionnaireItemType.Boolean),
                ],
            },
            new("priorTherapies", "MG therapies tried before (one entry per agent)", Hl7.Fhir.Model.Questionnaire.QuestionnaireItemType.Group,
                [FindingCodes.Coding(FindingCodes.PriorTherapy)])
            {
                Repeats = true,
                Items =
                [
                    new("priorTherapies.agent", "Agent", Hl7.Fhir.Model.Questionnaire.QuestionnaireItemType.OpenChoice, [FindingCodes.Coding(FindingCodes.TherapyAgent)])
                    {
                        AnswerValueSet = TherapyAgentValues + "|" + Version, Required = true,
                    },
                    new("priorTherapies.outcome", "Outcome", Hl7.Fhir.Model.Questionnaire.QuestionnaireItemType.Choice, [FindingCodes.Coding(FindingCodes.TherapyOutcomeQuestion)])
                    {
                        AnswerValueSet = TherapyOutcomeValues + "|" + Version, Required = true,
                        Value = new CodedValue(_ => throw new NotSupportedException(),
                            c => c.System == FindingCodes.System && FindingCodes.TherapyOutcomes.TryParse(c.Code, out var name) ? name : null, "a therapy-outcome-* code"),
                    },
                    new("priorTherapies.months", "Months taken", Hl7.Fhir.Model.Questionnaire.QuestionnaireItemType.Decimal, [FindingCodes.Coding(FindingCodes.TherapyMonths)])
                    {
                        Value = new QuantityValue("mo"), Unit = "mo",
                    },
                ],
            },
            new("priorIvigResponse", "Response to the last IVIG course (for a continuation)", Hl7.Fhir.Model.Questionnaire.QuestionnaireItemType.Group, [])
            {
                Items =
                [
                    Score("priorIvigResponse.mgAdlBefore", "MG-ADL before the last IVIG course", 24),
                    Score("priorIvigResponse.mgAdlAfter", "MG-ADL after the last IVIG course", 24),
                    Score("priorIvigResponse.qmgBefore", "QMG before the last IVIG course", 39),
                    Score("priorIvigResponse.qmgAfter", "QMG after the last IVIG course", 39),
                ],
            },
        ];
    }

    /// <summary>Every question (not group) of the questionnaire by linkId.</summary>
    internal static IReadOnlyDictionary<string, QuestionItem> Questions(ValueSets terminology) =>
        Flatten(Items(terminology)).Where(i => i.Type != Hl7.Fhir.Model.Questionnaire.QuestionnaireItemType.Group).ToDictionary(i => i.LinkId, StringComparer.Ordinal);

    private static IEnumerable<QuestionItem> Flatten(IEnumerable<QuestionItem> items) => items.SelectMany(i => (IEnumerable<QuestionItem>)[i, .. Flatten(i.Items)]);

    // MgAuth's finding code, and before it the standard codes of the release's value sets for that field where there are any.
    private static Coding[] CodesOf(string path, ValueSets terminology)
    {
        var field = ObservedFields.All.First(f => f.Path == path);
        var standard = terminology.Library.For(path).SelectMany(s => s.Concepts).Select(c => new Coding(c.System, c.Code, c.Display)).ToArray();
        if (field.Code.System != FindingCodes.System) return standard.Length > 0 ? standard : [field.Code];
        return [.. standard, field.Code];
    }

    /// <summary>
    /// Whether the questionnaire asks any of the contract fields (<c>priorTherapies[0].outcome</c> is asked as
    /// <c>priorTherapies.outcome</c>): then an answer naming them as missing points at it.
    /// </summary>
    public static bool AsksAny(IEnumerable<string> fields, ValueSets terminology)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var questions = Questions(terminology);
        return fields.Any(f => questions.ContainsKey(Repeated().Replace(f, "")));
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\[\d+\]")]
    private static partial System.Text.RegularExpressions.Regex Repeated();

    /// <summary>The Questionnaire resource (DTR standard questionnaire), written from the question table.</summary>
    public static Hl7.Fhir.Model.Questionnaire Build(ValueSets terminology, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(terminology);
        var questionnaire = new Hl7.Fhir.Model.Questionnaire
        {
            Id = Id,
            Url = Url,
            Version = Version,
            Name = "MgAuthIvigMyastheniaGravis",
            Title = "IVIG for myasthenia gravis: what the policy needs that standard data does not say",
            Status = PublicationStatus.Active,
            SubjectType = [ResourceType.Patient],
            Date = now.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            Publisher = "MgAuth",
            Description = "Da Vinci DTR questionnaire for an IVIG order in myasthenia gravis. Each linkId is the MgAuth contract field it answers; "
                          + "the MG-ADL total is computed from its eight items (SDC calculatedExpression) and derived from them again when the answers are read.",
            Text = new Narrative
            {
                Status = Narrative.NarrativeStatus.Generated,
                Div = "<div xmlns=\"http://www.w3.org/1999/xhtml\">IVIG for myasthenia gravis: indication, MGFA class, MG-ADL, QMG, baselines, "
                      + "infusion days and prior-therapy outcomes for MgAuth's IVIG policy.</div>",
            },
        };
        questionnaire.Extension.Add(new Extension
        {
            Url = Sdc + "sdc-questionnaire-launchContext",
            Extension =
            [
                new Extension("name", new Coding("http://hl7.org/fhir/uv/sdc/CodeSystem/launchContext", "patient")),
                new Extension("type", new Code("Patient")),
            ],
        });
        // The order the questionnaire is filled for: the draft response's DTR context names it.
        questionnaire.Extension.Add(new Extension("http://hl7.org/fhir/StructureDefinition/variable", new Expression
        {
            Name = "order",
            Language = FhirPath,
            Expression_ = "%resource.extension('http://hl7.org/fhir/us/davinci-dtr/StructureDefinition/qr-context').value.resolve()"
                          + ".where($this is MedicationRequest or $this is ServiceRequest).first()",
        }));
        foreach (var (name, fact) in new[] { ("weight", ContractFacts.WeightKg), ("height", ContractFacts.HeightCm), ("egfr", ContractFacts.Egfr), ("achr", ContractFacts.AchrAntibody) })
            questionnaire.Extension.Add(new Extension("http://hl7.org/fhir/StructureDefinition/variable", new Expression
            {
                Name = name,
                Language = "application/x-fhir-query",
                Expression_ = "Observation?patient={{%patient.id}}&code=" + string.Join(",", terminology.Library.For(fact).SelectMany(s => s.Concepts)
                    .Select(c => c.System + "|" + c.Code)) + "&_sort=-date&_count=1",
            }));
        questionnaire.Item.AddRange(Items(terminology).Select(Write));
        return questionnaire;
    }

    private static Hl7.Fhir.Model.Questionnaire.ItemComponent Write(QuestionItem item)
    {
        var written = new Hl7.Fhir.Model.Questionnaire.ItemComponent
        {
            LinkId = item.LinkId,
            Text = item.Text,
            Type = item.Type,
            Code = [.. item.Codes.Select(c => new Coding(c.System, c.Code, c.Display))],
            AnswerValueSet = item.AnswerValueSet,
        };
        if (item.Required) written.Required = true;
        if (item.Repeats) written.Repeats = true;
        if (item.MinValue is { } min) written.Extension.Add(new Extension("http://hl7.org/fhir/StructureDefinition/minValue", new Integer(min)));
        if (item.MaxValue is { } max) written.Extension.Add(new Extension("http://hl7.org/fhir/StructureDefinition/maxValue", new Integer(max)));
        if (item.Unit is { } unit)
            written.Extension.Add(new Extension("http://hl7.org/fhir/StructureDefinition/questionnaire-unit", new Coding(Systems.Ucum, unit, unit)));
        if (item.InitialExpression is { } initial) written.Extension.Add(Expression("sdc-questionnaire-initialExpression", initial));
        if (item.EnableWhenExpression is { } enable) written.Extension.Add(Expression("sdc-questionnaire-enableWhenExpression", enable));
        if (item.CalculatedExpression is { } calculated)
        {
            written.Extension.Add(Expression("sdc-questionnaire-calculatedExpression", calculated));
            written.ReadOnly = true;
        }
        written.Item.AddRange(item.Items.Select(Write));
        return written;
    }

    private static Extension Expression(string extension, string fhirPath) =>
        new(Sdc + extension, new Expression { Language = FhirPath, Expression_ = fhirPath });

    /// <summary>The expanded answer value sets the questionnaire names, in the questionnaire's version.</summary>
    public static IEnumerable<ValueSet> AnswerValueSets(ValueSets terminology, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(terminology);
        yield return Expanded(IndicationValues, "MgAuthIndication", "IVIG indications", FindingCodes.Indications.All().Select(Finding), now);
        yield return Expanded(MgfaClassValues, "MgAuthMgfaClass", "MGFA clinical classes", FindingCodes.MgfaClasses.All().Select(Finding), now);
        yield return Expanded(ElectrodiagnosticValues, "MgAuthElectrodiagnostics", "Electrodiagnostic results",
            FindingCodes.ElectrodiagnosticResults.All().Select(Finding), now);
        yield return Expanded(IgaStatusValues, "MgAuthIgaStatus", "IgA statuses", FindingCodes.IgaStatuses.All().Select(Finding), now);
        yield return Expanded(TherapyOutcomeValues, "MgAuthTherapyOutcome", "Prior therapy outcomes", FindingCodes.TherapyOutcomes.All().Select(Finding), now);
        yield return Expanded(AntibodyResults, "MgAuthAntibodyResult", "Antibody results",
            [new Coding(Systems.Snomed, "10828004", "Positive"), new Coding(Systems.Snomed, "260385009", "Negative"), new Coding(Systems.Snomed, "261665006", "Unknown")], now);
        // The agents as the policy names them: each agent value set's RxNorm ingredients, the value set's title as display.
        yield return Expanded(TherapyAgentValues, "MgAuthTherapyAgent", "MG therapy agents",
            terminology.Library.For(ContractFacts.TherapyAgent).SelectMany(s => s.Concepts.Select(c => new Coding(c.System, c.Code, s.Title))), now);

        static Coding Finding((string Code, string Display) c) => new(FindingCodes.System, c.Code, c.Display);
    }

    private static ValueSet Expanded(string url, string name, string title, IEnumerable<Coding> codes, DateTimeOffset now)
    {
        var list = codes.ToArray();
        var valueSet = new ValueSet
        {
            Id = url[(url.LastIndexOf('/') + 1)..],
            Url = url,
            Version = Version,
            Name = name,
            Title = title,
            Status = PublicationStatus.Active,
            Compose = new ValueSet.ComposeComponent(),
            Expansion = new ValueSet.ExpansionComponent { Timestamp = now.ToString("yyyy-MM-dd'T'HH:mm:ssK", System.Globalization.CultureInfo.InvariantCulture), Total = list.Length },
        };
        foreach (var system in list.GroupBy(c => c.System))
            valueSet.Compose.Include.Add(new ValueSet.ConceptSetComponent
            {
                System = system.Key,
                Concept = [.. system.DistinctBy(c => c.Code).Select(c => new ValueSet.ConceptReferenceComponent { Code = c.Code, Display = c.Display })],
            });
        valueSet.Expansion.Contains.AddRange(list.Select(c => new ValueSet.ContainsComponent { System = c.System, Code = c.Code, Display = c.Display }));
        return valueSet;
    }
}
