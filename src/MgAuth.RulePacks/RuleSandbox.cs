using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace MgAuth.RulePacks;

/// <summary>
/// Rule packs are written by people outside engineering, so their code is untrusted: it may use
/// the rule DSL, the domain facts and plain value types, and nothing that reaches files, network,
/// processes, reflection, threads, the environment or the clock. Checked on the compiled symbols,
/// so an alias or a fully qualified name cannot slip past.
/// </summary>
internal static class RuleSandbox
{
    private static readonly string[] AllowedNamespaces =
    [
        "NRules.Fluent.Dsl",
        "MgAuth.Domain.Facts", "MgAuth.Domain.Decisions", "MgAuth.Domain.Policies", "MgAuth.Domain.Requests", "MgAuth.Domain.Rules",
    ];

    private static readonly HashSet<string> AllowedTypes =
    [
        "System.Void", "System.Object", "System.String", "System.Boolean", "System.Char", "System.Byte", "System.SByte",
        "System.Int16", "System.UInt16", "System.Int32", "System.UInt32", "System.Int64", "System.UInt64",
        "System.Decimal", "System.Double", "System.Single", "System.DateOnly", "System.Math", "System.MidpointRounding",
        "System.StringComparison", "System.StringComparer", "System.Nullable<T>", "System.Enum", "System.ValueType",
        "System.Linq.Enumerable", "System.Linq.IGrouping<TKey, TElement>", "System.Linq.IOrderedEnumerable<TElement>",
        "System.Collections.Generic.IEnumerable<T>", "System.Collections.Generic.IReadOnlyList<T>",
        "System.Collections.Generic.IReadOnlyCollection<T>", "System.Collections.Generic.List<T>",
        "System.Collections.Generic.KeyValuePair<TKey, TValue>", "System.Collections.Generic.HashSet<T>",
        "System.Collections.Generic.Dictionary<TKey, TValue>", "System.Collections.Generic.IReadOnlyDictionary<TKey, TValue>",
        "System.Collections.Immutable.ImmutableArray<T>", "System.Collections.Frozen.FrozenDictionary<TKey, TValue>",
        "System.Func<TResult>", "System.Func<T, TResult>", "System.Func<T1, T2, TResult>", "System.Action<T>",
        "System.Linq.Expressions.Expression<TDelegate>",
        "NRules.RuleModel.IContext",
    ];

    // What an action may do with NRules' context: add a fact. Not resolve services, halt, or reach linked facts.
    private static readonly HashSet<string> AllowedContextMembers = ["Insert"];

    // The DSL's way to reach services from the host.
    private static readonly HashSet<string> DeniedDslMembers = ["Dependency"];

    // Inside allowed namespaces, the few members that reach outside the rule's world.
    private static readonly HashSet<string> DeniedTypes =
    [
        "MgAuth.Domain.Policies.PolicyLoader",
    ];

    // GetHashCode differs from process to process for strings: a rule reading it would not replay.
    private static readonly HashSet<string> DeniedMembers = ["GetType", "MemberwiseClone", "Finalize", "GetHashCode"];

    // Full names without C# keywords, so System.String reads as System.String, not string.
    private static readonly SymbolDisplayFormat FullName = new(
        typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypesAndNamespaces,
        genericsOptions: SymbolDisplayGenericsOptions.IncludeTypeParameters);

    public static IEnumerable<string> Check(CSharpCompilation compilation, string packName)
    {
        foreach (var tree in compilation.SyntaxTrees)
        {
            var model = compilation.GetSemanticModel(tree);
            foreach (var node in tree.GetRoot().DescendantNodes())
            {
                if (Refusal(node, model, compilation.Assembly) is not { } what) continue;
                var line = node.GetLocation().GetLineSpan().StartLinePosition;
                yield return $"{packName}/{tree.FilePath}({line.Line + 1},{line.Character + 1}): {what} is not allowed in a rule pack "
                    + "(rule code may use the rule DSL, the domain facts and plain value types; files, network, processes, "
                    + "reflection, threads, environment and time are refused)";
            }
        }
    }

    private static string? Refusal(SyntaxNode node, SemanticModel model, IAssemblySymbol pack)
    {
        switch (node)
        {
            case UnsafeStatementSyntax or FixedStatementSyntax or PointerTypeSyntax or FunctionPointerTypeSyntax:
                return "unsafe code";
            case MemberDeclarationSyntax member when member.Modifiers.Any(m => m.IsKind(SyntaxKind.ExternKeyword) || m.IsKind(SyntaxKind.UnsafeKeyword)):
                return "an extern or unsafe member";
            // Decisions must not depend on earlier decisions: no mutable static state, no locks.
            case FieldDeclarationSyntax field when field.Modifiers.Any(m => m.IsKind(SyntaxKind.StaticKeyword))
                && !field.Modifiers.Any(m => m.IsKind(SyntaxKind.ConstKeyword) || m.IsKind(SyntaxKind.ReadOnlyKeyword)):
                return "a static field that is not readonly (state kept between decisions)";
            case PropertyDeclarationSyntax property when property.Modifiers.Any(m => m.IsKind(SyntaxKind.StaticKeyword))
                && property.AccessorList?.Accessors.Any(a => a.IsKind(SyntaxKind.SetAccessorDeclaration) || a.IsKind(SyntaxKind.InitAccessorDeclaration)) == true:
                return "a static property with a setter (state kept between decisions)";
            case LockStatementSyntax:
                return "a lock statement";
            case AttributeSyntax:
            case ExpressionSyntax:
                var symbol = model.GetSymbolInfo(node).Symbol;
                if (symbol is not null && !Allowed(symbol, pack)) return $"'{symbol.ToDisplayString()}'";
                var type = node is ExpressionSyntax ? model.GetTypeInfo(node).Type : null;
                if (type is not null && !AllowedType(type, pack)) return $"a value of type '{type.ToDisplayString()}'";
                return null;
            default:
                return null;
        }
    }

    private static bool Allowed(ISymbol symbol, IAssemblySymbol pack) => symbol switch
    {
        INamespaceSymbol or ILocalSymbol or IParameterSymbol or IRangeVariableSymbol or ILabelSymbol or IDiscardSymbol => true,
        ITypeSymbol type => AllowedType(type, pack),
        IMethodSymbol { MethodKind: MethodKind.AnonymousFunction or MethodKind.LocalFunction } => true,
        _ when DeniedMembers.Contains(symbol.Name) => false,
        _ when symbol.ContainingType?.ToDisplayString(FullName) == "NRules.RuleModel.IContext" => AllowedContextMembers.Contains(symbol.Name),
        _ when symbol.ContainingNamespace?.ToDisplayString() == "NRules.Fluent.Dsl" && DeniedDslMembers.Contains(symbol.Name) => false,
        _ => symbol.ContainingType is null || AllowedType(symbol.ContainingType, pack),
    };

    private static bool AllowedType(ITypeSymbol type, IAssemblySymbol pack)
    {
        switch (type)
        {
            case IArrayTypeSymbol array:
                return AllowedType(array.ElementType, pack);
            case ITypeParameterSymbol:
                return true;
            case IPointerTypeSymbol or IFunctionPointerTypeSymbol or IDynamicTypeSymbol or IErrorTypeSymbol:
                return false;
            case INamedTypeSymbol named:
                if (named.IsAnonymousType || named.IsTupleType && named.TupleElements.All(e => AllowedType(e.Type, pack)))
                    return true;
                if (SymbolEqualityComparer.Default.Equals(named.ContainingAssembly, pack))
                    return true;
                if (named.TypeArguments.Any(t => !AllowedType(t, pack)))
                    return false;
                var definition = named.OriginalDefinition.ToDisplayString(FullName);
                if (DeniedTypes.Contains(definition)) return false;
                if (AllowedTypes.Contains(definition)) return true;
                var ns = named.ContainingNamespace?.ToDisplayString() ?? "";
                return AllowedNamespaces.Contains(ns);
            default:
                return false;
        }
    }
}
