using System.Reflection;
using System.Runtime.Loader;
using MgAuth.Engine.Compilation;
using MgAuth.Engine.Dsl;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace MgAuth.RulePacks;

/// <summary>
/// Compiles a pack's rule classes from source with Roslyn, checks them against the sandbox, loads
/// them into their own collectible load context and builds the engine's network.
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

        var errors = compilation.GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Error)
            .Select(d => Describe(source.Name, d))
            .ToList();
        if (errors.Count > 0) throw new RulePackException(source.Name, errors);

        var refused = RuleSandbox.Check(compilation, source.Name).ToList();
        if (refused.Count > 0) throw new RulePackException(source.Name, refused);

        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        if (!emitted.Success)
            throw new RulePackException(source.Name, emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)
                .Select(d => Describe(source.Name, d)).ToList());
        image.Position = 0;

        var context = new AssemblyLoadContext($"rule-pack {manifest.Id} {source.Sha256[..12]}", isCollectible: true);
        var assembly = context.LoadFromStream(image);
        var definitions = assembly.GetTypes()
            .Where(t => typeof(Rule).IsAssignableFrom(t) && !t.IsAbstract)
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .Select(t => Define(source.Name, t))
            .ToArray();
        if (definitions.Length == 0)
            throw new RulePackException(source.Name, [$"{source.Name}: the pack defines no rules"]);

        try
        {
            return new RulePack(manifest, source, RuleCompiler.Compile(definitions));
        }
        catch (Exception e) when (e is MgAuth.Engine.RuleCompilationException or RuleDefinitionException)
        {
            throw new RulePackException(source.Name, [$"{source.Name}: {e.Message}"]);
        }
    }

    // A rule's constructor or Define() is pack code: whatever it throws is the pack's problem, named by rule.
    private static Engine.Model.RuleDefinition Define(string pack, Type type)
    {
        try
        {
            return ((Rule)Activator.CreateInstance(type)!).GetDefinition();
        }
        catch (Exception e) when (e is not RuleDefinitionException)
        {
            var inner = e is TargetInvocationException { InnerException: { } cause } ? cause : e;
            throw new RulePackException(pack, [$"{pack}: rule {type.Name} failed while being defined: {inner.GetType().Name}: {inner.Message}"]);
        }
    }

    private static string Describe(string pack, Diagnostic d)
    {
        var span = d.Location.GetLineSpan();
        return $"{pack}/{span.Path}({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1}): {d.Id} {d.GetMessage()}";
    }

    private static MetadataReference[] LoadReferences()
    {
        var platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var ours = new[] { typeof(Rule).Assembly, typeof(Domain.Facts.Member).Assembly }.Select(a => a.Location);
        return platform.Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal)
                || Path.GetFileName(p) is "netstandard.dll" or "mscorlib.dll")
            .Concat(ours)
            .Distinct()
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToArray();
    }
}
