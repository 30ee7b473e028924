using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using MgAuth.Domain.Decisions;
using MgAuth.Domain.Requests;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace MgAuth.Domain.Policies;

/// <summary>A policy file that cannot be used; every problem names the file, the line and the parameter.</summary>
public sealed class PolicyLoadException(string file, IReadOnlyList<string> problems)
    : Exception($"Policy {file} is invalid:{Environment.NewLine}{string.Join(Environment.NewLine, problems)}")
{
    public string File { get; } = file;
    public IReadOnlyList<string> Problems { get; } = problems;
}

/// <summary>
/// Reads <c>policies/*.yaml</c>. Every parameter is required: a policy is never half-read. A file may
/// <c>extends:</c> another policy of its set by id and carry only its differences, so policies load as a set.
/// </summary>
public static class PolicyLoader
{
    /// <summary>A policy set as files: every <c>*.yaml</c> of a folder, by file name.</summary>
    public static IReadOnlyDictionary<string, string> ReadFolder(string folder) =>
        Directory.EnumerateFiles(folder, "*.yaml").Order(StringComparer.Ordinal)
            .ToDictionary(path => Path.GetFileName(path), File.ReadAllText, StringComparer.Ordinal);

    /// <summary>One policy file, resolved against the other policies of its folder.</summary>
    public static Policy LoadFile(string path)
    {
        var loaded = new PolicySetReader(ReadFolder(Path.GetDirectoryName(Path.GetFullPath(path))!)).Resolve(Path.GetFileName(path));
        return loaded.Policy ?? throw loaded.Problem!;
    }

    /// <summary>Every <c>*.yaml</c> policy in a folder, by id.</summary>
    public static IReadOnlyDictionary<string, Policy> LoadFolder(string folder) => ParseSet(ReadFolder(folder));

    /// <summary>A policy file on its own, such as a stored resolved source; a file that extends another needs its set.</summary>
    public static Policy Parse(string yaml, string file) => ParseSet(new Dictionary<string, string> { [file] = yaml }).Values.Single();

    /// <summary>Every policy of a set (file name to text), each resolved against the others, by id; the first file that cannot be used throws.</summary>
    public static IReadOnlyDictionary<string, Policy> ParseSet(IReadOnlyDictionary<string, string> files)
    {
        files = PolicyFilesOf(files);
        var reader = new PolicySetReader(files);
        var policies = new Dictionary<string, Policy>(StringComparer.Ordinal);
        var fileOf = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in files.Keys.Order(StringComparer.Ordinal))
        {
            var loaded = reader.Resolve(file);
            var policy = loaded.Policy ?? throw loaded.Problem!;
            if (!fileOf.TryAdd(policy.Id, file))
                throw new PolicyLoadException(file, [$"{file}: parameter 'id' {policy.Id} is already the id of {fileOf[policy.Id]}"]);
            policies[policy.Id] = policy;
        }
        return policies;
    }

    /// <summary>The policies of a set that load, leaving out the files that do not (a refused release still lists and keeps the rest).</summary>
    public static IReadOnlyList<Policy> ParseUsable(IReadOnlyDictionary<string, string> files)
    {
        files = PolicyFilesOf(files);
        var reader = new PolicySetReader(files);
        return files.Keys.Order(StringComparer.Ordinal).Select(file => reader.Resolve(file).Policy).OfType<Policy>().ToArray();
    }

    /// <summary>The policy files among a release's files: its value sets (<c>valuesets/*.json</c>) travel with them but are not policies.</summary>
    public static IReadOnlyDictionary<string, string> PolicyFilesOf(IReadOnlyDictionary<string, string> files) =>
        files.Keys.Any(Terminology.ValueSetLibrary.IsValueSetFile)
            ? files.Where(f => !Terminology.ValueSetLibrary.IsValueSetFile(f.Key)).ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal)
            : files;

    internal static YamlMappingNode Document(string yaml, string file)
    {
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(yaml));
            return stream.Documents.Count > 0 && stream.Documents[0].RootNode is YamlMappingNode map
                ? map
                : throw new PolicyLoadException(file, [$"{file}:1: the policy must be a YAML mapping"]);
        }
        catch (YamlException e)
        {
            throw new PolicyLoadException(file, [$"{file}:{e.Start.Line}: {e.Message}"]);
        }
        catch (InvalidOperationException e)
        {
            // YamlDotNet's scanner gives up without a position on a few malformed inputs (an unclosed flow list).
            throw new PolicyLoadException(file, [$"{file}: the YAML cannot be read ({e.Message}); look for an unclosed [ or {{"]);
        }
    }

    /// <summary>The policy of a resolved document; <paramref name="source"/> is its resolved text, which the hash covers.</summary>
    internal static Policy Read(YamlMappingNode root, string file, string source)
    {
        var errors = new List<string>();
        var f = new YamlFields(file, errors);
        var policy = Read(root, f, file, errors);
        f.RefuseUnknownKeys();
        if (errors.Count > 0) throw new PolicyLoadException(file, errors);
        return policy with
        {
            Source = source,
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(source))),
        };
    }

    private static Policy Read(YamlMappingNode root, YamlFields f, string file, List<string> errors)
    {
        var dosing = f.Map(root, "", "dosingWeight");
        var devine = dosing is null ? null : f.Map(dosing, "dosingWeight", "devine");
        var dose = f.Map(root, "", "dose");
        var severity = f.Map(root, "", "severity");
        var worsening = f.Map(root, "", "worsening");
        var crisis = f.Map(root, "", "crisis");
        var renal = f.Map(root, "", "renal");
        var history = f.Map(root, "", "history");
        var thymectomy = f.Map(root, "", "preThymectomy");
        var bridging = f.Map(root, "", "bridging");
        var maintenance = f.Map(root, "", "maintenance");

        return new Policy
        {
            Id = f.String(root, "", "id"),
            Version = f.String(root, "", "version"),
            Title = f.String(root, "", "title"),
            ClinicianSignoffForDenials = f.Bool(root, "", "clinicianSignoffForDenials"),
            CoveredDiagnoses = f.Strings(root, "", "coveredDiagnoses"),
            DosingWeight = new DosingWeightParameters(
                f.Decimal(dosing, "dosingWeight", "shortStatureBelowCm"),
                f.Decimal(dosing, "dosingWeight", "adjustAboveIdealRatio"),
                f.Decimal(dosing, "dosingWeight", "adjustmentFactor"),
                f.Decimal(devine, "dosingWeight.devine", "cmPerInch"),
                f.Decimal(devine, "dosingWeight.devine", "baseHeightIn"),
                f.Decimal(devine, "dosingWeight.devine", "maleBaseKg"),
                f.Decimal(devine, "dosingWeight.devine", "otherBaseKg"),
                f.Decimal(devine, "dosingWeight.devine", "kgPerInch"),
                f.Decimal(dosing, "dosingWeight", "roundingKg")),
            Dose = new DoseParameters(
                f.Decimal(dose, "dose", "courseCeilingGramsPerKg"),
                f.Decimal(dose, "dose", "dailyCeilingGramsPerKg"),
                f.Int(dose, "dose", "vialGrams"),
                f.Int(dose, "dose", "maxStandardInfusionDays")),
            Severity = new SeverityParameters(
                f.Enum<MgfaClass>(severity, "severity", "moderateMinMgfaClass"),
                f.Int(severity, "severity", "moderateMinQmg"),
                f.Int(severity, "severity", "moderateMinMgAdl"),
                f.Enum<MgfaClass>(severity, "severity", "generalizedMinMgfaClass")),
            Worsening = new WorseningParameters(
                f.Int(worsening, "worsening", "minMgAdlIncrease"),
                f.Int(worsening, "worsening", "qmgIncreaseMoreThan")),
            Crisis = new CrisisParameters(
                f.Enum<MgfaClass>(crisis, "crisis", "mgfaClass"),
                f.Decimal(crisis, "crisis", "fvcBelowMlPerKg")),
            Renal = new RenalParameters(
                f.Decimal(renal, "renal", "severeEgfrBelow"),
                f.Decimal(renal, "renal", "riskEgfrBelow")),
            PediatricAgeBelow = f.Int(root, "", "pediatricAgeBelow"),
            History = new HistoryParameters(
                f.Int(history, "history", "recurrentAcuteCourses"),
                f.Int(history, "history", "windowDays"),
                history is null ? [] : AcuteIndications(f, history)),
            AcuteAuthorizationDays = f.Int(root, "", "acuteAuthorizationDays"),
            PreThymectomy = new PreThymectomyParameters(
                f.String(thymectomy, "preThymectomy", "procedure"),
                f.Int(thymectomy, "preThymectomy", "surgeryWindowDays")),
            Bridging = new BridgingParameters(
                f.Decimal(bridging, "bridging", "minPrednisoneMgPerKgPerDay"),
                f.Int(bridging, "bridging", "steroidStartWindowDays")),
            Maintenance = new MaintenanceParameters(
                f.Decimal(maintenance, "maintenance", "ceilingGramsPerKg"),
                f.Int(maintenance, "maintenance", "ceilingPeriodDays"),
                f.Int(maintenance, "maintenance", "intensityDecimals"),
                f.Bool(maintenance, "maintenance", "chronicMaintenanceCovered"),
                f.Int(maintenance, "maintenance", "authorizationCapDays"),
                f.Int(maintenance, "maintenance", "shortTermMaxDays"),
                f.Int(maintenance, "maintenance", "minSteroidSparingFailures"),
                f.Int(maintenance, "maintenance", "responseMinMgAdlDecrease"),
                f.Int(maintenance, "maintenance", "responseMinQmgDecrease")),
            Agents = Agents(f, root),
            Formulary = f.Strings(root, "", "formulary"),
            ProductContraindications = Contraindications(f, root),
            Reasons = Reasons(f, root, file, errors),
        };
    }

    private static ImmutableArray<Indication> AcuteIndications(YamlFields f, YamlMappingNode history)
    {
        if (f.Sequence(history, "history", "acuteIndications") is not { } list) return [];
        return list.Children.Select((node, i) => node is YamlScalarNode scalar
                ? f.EnumValue<Indication>(scalar, $"history.acuteIndications[{i}]")
                : f.Fail<Indication>(node, $"history.acuteIndications[{i}]", "must be an indication"))
            .ToImmutableArray();
    }

    private static ImmutableArray<AgentDefinition> Agents(YamlFields f, YamlMappingNode root)
    {
        if (f.Sequence(root, "", "agents") is not { } list) return [];
        var agents = ImmutableArray.CreateBuilder<AgentDefinition>();
        for (var i = 0; i < list.Children.Count; i++)
        {
            var path = $"agents[{i}]";
            if (f.Item(list.Children[i], path) is not { } item) continue;
            agents.Add(new AgentDefinition(
                f.String(item, path, "name"),
                f.Enum<AgentClass>(item, path, "class"),
                f.Decimal(item, path, "adequateMonths")));
        }
        return agents.ToImmutable();
    }

    private static ImmutableArray<ProductContraindicationDefinition> Contraindications(YamlFields f, YamlMappingNode root)
    {
        if (f.Sequence(root, "", "productContraindications") is not { } list) return [];
        var result = ImmutableArray.CreateBuilder<ProductContraindicationDefinition>();
        for (var i = 0; i < list.Children.Count; i++)
        {
            var path = $"productContraindications[{i}]";
            if (f.Item(list.Children[i], path) is not { } item) continue;
            result.Add(new ProductContraindicationDefinition(f.String(item, path, "product"), f.String(item, path, "condition")));
        }
        return result.ToImmutable();
    }

    private static FrozenDictionary<string, ReasonText> Reasons(YamlFields f, YamlMappingNode root, string file, List<string> errors)
    {
        var reasons = new Dictionary<string, ReasonText>(StringComparer.Ordinal);
        if (f.Map(root, "", "reasons") is not { } map) return FrozenDictionary<string, ReasonText>.Empty;
        foreach (var (keyNode, node) in map.Children)
        {
            var code = ((YamlScalarNode)keyNode).Value ?? "";
            var path = $"reasons.{code}";
            if (!ReasonCodes.All.Contains(code))
            {
                f.Fail<string>(keyNode, path, "is not a reason code of the policy (the set is closed)");
                continue;
            }
            if (f.Item(node, path) is not { } item) continue;
            var effect = f.Enum<ReasonEffect>(item, path, "effect");
            // A reason an extending policy turns from deny into review keeps its base's denialKind, unused.
            if (effect != ReasonEffect.Deny) f.Unused(item, path, "denialKind");
            DenialKind? kind = effect == ReasonEffect.Deny ? f.Enum<DenialKind>(item, path, "denialKind") : null;
            MessageTemplate message;
            try { message = MessageTemplate.Parse(f.String(item, path, "message")); }
            catch (FormatException e) { message = f.Fail<MessageTemplate>(item, $"{path}.message", e.Message); }
            reasons[code] = new ReasonText(code, effect, kind, f.String(item, path, "policyRef"), f.String(item, path, "evidence"), message)
            {
                Order = reasons.Count,
            };
        }
        foreach (var code in ReasonCodes.All.Where(c => !reasons.ContainsKey(c) && !ReasonCodes.AddedLater.Contains(c)))
            errors.Add($"{file}:{map.Start.Line}: parameter 'reasons.{code}' is missing");
        return reasons.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
