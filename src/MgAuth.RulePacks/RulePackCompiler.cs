using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using MgAuth.RulePacks.Language;
using NRules;
using NRules.Fluent;
using NRules.RuleModel;
using NRules.RuleModel.Builders;

namespace MgAuth.RulePacks;

/// <summary>
/// Compiles a pack's rule classes from source with Roslyn, checks them against the pack language (Language/PackAllowList.cs), loads
/// them into their own collectible load context and compiles them with NRules into one session
/// factory. NRules and the domain resolve from the default load context: a pack context with its
/// own copy of NRules would make the repository find no rules.
/// </summary>
public static class RulePackCompiler
{
    private static readonly Lazy<MetadataReference[]> References = new(LoadReferences);

    public static RulePack Load(string folder) => Compile(PackSource.FromFolder(folder));

    public static RulePack Compile(PackSource source)
    {
        var manifest = PackManifest.Parse(source);
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        var trees = source.RuleSources
            .Select(f => CSharpSyntaxTree.ParseText(f.Text, parse, path: f.Path))
            .ToArray();
        var compilation = CSharpCompilation.Create(
            $"MgAuth.RulePack.{manifest.Id}.{source.Sha256[..12]}",
            trees,
            References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary,
                allowUnsafe: false, nullableContextOptions: NullableContextOptions.Enable,
                optimizationLevel: OptimizationLevel.Release));

        // What the language refuses is named even where the code does not compile (a member that does not exist, say).
        var refused = PackLanguageCheck.Check(compilation, source.Name).ToList();
        var errors = compilation.GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Error)
            .Select(d => Describe(source.Name, d))
            .ToList();
        if (refused.Count > 0 || errors.Count > 0) throw new RulePackException(source.Name, [.. refused, .. errors]);

        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        if (!emitted.Success)
            throw new RulePackException(source.Name, emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)
                .Select(d => Describe(source.Name, d)).ToList());
        image.Position = 0;

        var context = new AssemblyLoadContext($"rule-pack {manifest.Id} {source.Sha256[..12]}", isCollectible: true);
        var assembly = context.LoadFromStream(image);
        var rules = Define(source.Name, assembly);
        if (rules.Count == 0)
            throw new RulePackException(source.Name, [$"{source.Name}: the pack defines no rules"]);
        var unbound = rules.SelectMany(UnboundAliasCheck.Problems).Select(p => $"{source.Name}: {p}").ToList();
        if (unbound.Count > 0) throw new RulePackException(source.Name, unbound);
        try
        {
            return new RulePack(manifest, source, rules, CompileNetwork(rules));
        }
        catch (RuleCompilationException e)
        {
            throw new RulePackException(source.Name, [$"{source.Name}: rule {e.RuleName} does not compile: {(e.InnerException ?? e).Message}"]);
        }
    }

    internal static ISessionFactory CompileNetwork(IEnumerable<PackRule> rules)
    {
        var compiler = new RuleCompiler();
        // Facts are told apart by identity: two equal derived records (the same basis found twice) are two facts.
        compiler.FactIdentityComparerRegistry.DefaultFactIdentityComparer = ReferenceEqualityComparer.Instance;
        var sessions = compiler.Compile(rules.Select(r => r.Definition));
        Decider.AttachTrace(sessions);
        return sessions;
    }

    // A rule's constructor or Define() is pack code: whatever it throws is the pack's problem, named by rule.
    private static IReadOnlyList<PackRule> Define(string pack, Assembly assembly)
    {
        using var invariant = InvariantCultureScope.Enter();
        var repository = new RuleRepository();
        try
        {
            repository.Load(x => x.From(assembly));
        }
        catch (Exception e) when (e is RuleDefinitionException or RuleActivationException)
        {
            var type = (e as RuleDefinitionException)?.RuleTypeName ?? (e as RuleActivationException)?.RuleTypeName ?? "";
            var inner = e.InnerException is TargetInvocationException { InnerException: { } cause } ? cause : e.InnerException ?? e;
            throw new RulePackException(pack, [$"{pack}: rule {ShortName(type)} failed while being defined: {inner.GetType().Name}: {inner.Message}"]);
        }
        return repository.GetRules()
            .Select(d => new PackRule(Named(d)))
            .OrderBy(r => r.Type.FullName, StringComparer.Ordinal)
            .ToArray();
    }

    private static string ShortName(string typeName) => typeName.Split(',')[0].Split('.', '+')[^1];

    // A rule is known by its class name (NRules' default is the full type name): reasons and traces name it.
    private static IRuleDefinition Named(IRuleDefinition d)
    {
        var type = (Type)d.Properties[RuleProperties.ClrType]!;
        if (d.Name != type.FullName) return d;
        return Element.RuleDefinition(type.Name, d.Description, d.Priority, d.Repeatability, d.Tags,
            d.Properties, d.DependencyGroup, d.LeftHandSide, d.FilterGroup, d.RightHandSide);
    }

    private static string Describe(string pack, Diagnostic d)
    {
        var span = d.Location.GetLineSpan();
        return $"{pack}/{span.Path}({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1}): {d.Id} {d.GetMessage()}";
    }

    private static MetadataReference[] LoadReferences()
    {
        var platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var ours = new[] { typeof(NRules.Fluent.Dsl.Rule).Assembly, typeof(IContext).Assembly, typeof(Domain.Facts.Member).Assembly }.Select(a => a.Location);
        return platform.Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal)
                || Path.GetFileName(p) is "netstandard.dll" or "mscorlib.dll")
            .Concat(ours)
            .Distinct()
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToArray();
    }
}
