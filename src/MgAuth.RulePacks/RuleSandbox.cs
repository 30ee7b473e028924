using System.Reflection;
using MgAuth.Domain.Decisions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using NRules.RuleModel;

namespace MgAuth.RulePacks;

/// <summary>
/// Rule packs are written by people outside engineering, so their code is untrusted: it may use
/// the rule DSL, the domain facts and plain value types, and nothing that reaches files, network,
/// processes, reflection, threads, the environment or the clock; nor keep state between decisions,
/// cast its way to the mutable side of what it is handed, or stand in for the policy's reason actions.
/// Checked on the compiled symbols and operations, so an alias or a fully qualified name cannot slip past.
/// </summary>
internal static class RuleSandbox
{
    private static readonly string[] AllowedNamespaces =
    [
        "NRules.Fluent.Dsl",
        "MgAuth.Domain.Facts", "MgAuth.Domain.Decisions", "MgAuth.Domain.Policies", "MgAuth.Domain.Requests", "MgAuth.Domain.Rules",
    ];

    // Collections nobody can change once made.
    private static readonly string[] ImmutableCollections =
    [
        "System.Collections.Immutable.ImmutableArray<T>", "System.Collections.Immutable.ImmutableList<T>",
        "System.Collections.Immutable.ImmutableHashSet<T>", "System.Collections.Immutable.ImmutableDictionary<TKey, TValue>",
        "System.Collections.Frozen.FrozenSet<T>", "System.Collections.Frozen.FrozenDictionary<TKey, TValue>",
    ];

    private static readonly HashSet<string> AllowedTypes =
    [
        "System.Void", "System.Object", "System.String", "System.Boolean", "System.Char", "System.Byte", "System.SByte",
        "System.Int16", "System.UInt16", "System.Int32", "System.UInt32", "System.Int64", "System.UInt64",
        "System.Decimal", "System.Double", "System.Single", "System.DateOnly", "System.Math", "System.MidpointRounding",
        "System.StringComparison", "System.StringComparer", "System.Index", "System.Range", "System.Nullable<T>", "System.Enum", "System.ValueType",
        "System.Linq.Enumerable", "System.Linq.IGrouping<TKey, TElement>", "System.Linq.IOrderedEnumerable<TElement>",
        "System.Collections.Generic.IEnumerable<T>", "System.Collections.Generic.IReadOnlyList<T>",
        "System.Collections.Generic.IReadOnlyCollection<T>", "System.Collections.Generic.List<T>",
        "System.Collections.Generic.KeyValuePair<TKey, TValue>", "System.Collections.Generic.HashSet<T>",
        "System.Collections.Generic.Dictionary<TKey, TValue>", "System.Collections.Generic.IReadOnlyDictionary<TKey, TValue>",
        "System.Collections.Immutable.ImmutableArray<T>", "System.Collections.Frozen.FrozenDictionary<TKey, TValue>",
        "System.Func<TResult>", "System.Func<T, TResult>", "System.Func<T1, T2, TResult>", "System.Action<T>",
        "System.Linq.Expressions.Expression<TDelegate>",
        "NRules.RuleModel.IContext",
        .. ImmutableCollections,
        "System.Collections.Immutable.ImmutableArray", "System.Collections.Immutable.ImmutableList",
        "System.Collections.Immutable.ImmutableHashSet", "System.Collections.Immutable.ImmutableDictionary",
        "System.Collections.Frozen.FrozenSet", "System.Collections.Frozen.FrozenDictionary",
    ];

    // Collection interfaces that only read: a cast to one reaches nothing a rule could change.
    private static readonly HashSet<string> ReadOnlyViews =
    [
        "System.Collections.IEnumerable", "System.Collections.Generic.IEnumerable<T>", "System.Collections.Generic.IReadOnlyCollection<T>",
        "System.Collections.Generic.IReadOnlyList<T>", "System.Collections.Generic.IReadOnlyDictionary<TKey, TValue>",
        "System.Collections.Generic.IReadOnlySet<T>", "System.Linq.IGrouping<TKey, TElement>", "System.Linq.IOrderedEnumerable<TElement>",
        "System.Linq.ILookup<TKey, TElement>",
    ];

    // What a static or a rule's field may hold: values nobody can change (of immutable type arguments).
    private static readonly HashSet<string> ImmutableTypes =
    [
        "System.String", "System.Boolean", "System.Char", "System.Byte", "System.SByte", "System.Int16", "System.UInt16",
        "System.Int32", "System.UInt32", "System.Int64", "System.UInt64", "System.Decimal", "System.Double", "System.Single",
        "System.DateOnly", "System.Nullable<T>",
        .. ImmutableCollections,
    ];

    // Arrays are plain values; System.Array's own methods (Resize, Copy, Clear, CreateInstance) are not needed.
    private static readonly HashSet<string> ArrayMembers = ["Length"];

    // What an action may do with NRules' context: add a fact. Not resolve services, halt, or reach linked facts.
    private static readonly HashSet<string> AllowedContextMembers = ["Insert"];

    // The DSL's way to reach services from the host.
    private static readonly HashSet<string> DeniedDslMembers = ["Dependency"];

    // Inside allowed namespaces, the few members that reach outside the rule's world.
    private static readonly HashSet<string> DeniedTypes =
    [
        "MgAuth.Domain.Policies.PolicyLoader",
    ];

    // A pack member of the same name could stand in for the policy's reason actions unseen.
    private static readonly HashSet<string> ReasonActionNames = typeof(ReasonActions)
        .GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly).Select(m => m.Name).ToHashSet();

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
            var refusals = tree.GetRoot().DescendantNodes().Select(node => (Node: node, What: Refusal(node, model)))
                .Concat(Operations(tree.GetRoot(), model).Select(operation => (Node: operation.Syntax, What: Refusal(operation))))
                .Where(r => r.What is not null)
                .OrderBy(r => r.Node.SpanStart);
            foreach (var (node, what) in refusals)
            {
                var line = node.GetLocation().GetLineSpan().StartLinePosition;
                yield return $"{packName}/{tree.FilePath}({line.Line + 1},{line.Character + 1}): {what} is not allowed in a rule pack "
                    + "(rule code may use the rule DSL, the domain facts and plain value types; files, network, processes, "
                    + "reflection, threads, environment and time are refused)";
            }
        }
    }

    private static string? Refusal(SyntaxNode node, SemanticModel model)
    {
        var pack = model.Compilation.Assembly;
        switch (node)
        {
            case UnsafeStatementSyntax or FixedStatementSyntax or PointerTypeSyntax or FunctionPointerTypeSyntax:
                return "unsafe code";
            case MemberDeclarationSyntax member when member.Modifiers.Any(m => m.IsKind(SyntaxKind.ExternKeyword) || m.IsKind(SyntaxKind.UnsafeKeyword)):
                return "an extern or unsafe member";
            // Decisions must not depend on earlier decisions: no state outliving one, no locks.
            case BaseFieldDeclarationSyntax or BasePropertyDeclarationSyntax when KeptState((MemberDeclarationSyntax)node, model) is { } kept:
                return kept;
            case LockStatementSyntax:
                return "a lock statement";
            // They run when the runtime decides, outside any decision.
            case DestructorDeclarationSyntax:
                return "a finalizer";
            case ConstructorDeclarationSyntax constructor when constructor.Modifiers.Any(SyntaxKind.StaticKeyword):
                return "a static constructor";
            // An extension in the pack would take the place of the policy's (ctx.AddReason) in every file.
            case ExtensionBlockDeclarationSyntax:
                return "an extension block";
            case ParameterSyntax parameter when parameter.Modifiers.Any(SyntaxKind.ThisKeyword):
                return "an extension method";
            case UsingDirectiveSyntax directive when directive.GlobalKeyword.IsKind(SyntaxKind.GlobalKeyword)
                && (directive.Alias is not null || directive.StaticKeyword.IsKind(SyntaxKind.StaticKeyword)):
                return "a global using alias or using static (it changes what names mean in every file)";
            case MemberDeclarationSyntax or LocalFunctionStatementSyntax:
                return Impostor(node, model);
            case OmittedArraySizeExpressionSyntax:
                return null; // the empty size in string[] is no value
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

    // Checked on the operations (what the code does once bound), wherever the syntax hides them.
    private static IEnumerable<IOperation> Operations(SyntaxNode node, SemanticModel model) =>
        model.GetOperation(node) is { } operation
            ? operation.DescendantsAndSelf()
            : node.ChildNodes().SelectMany(child => Operations(child, model));

    private static string? Refusal(IOperation operation) => operation switch
    {
        IInvocationOperation call when ReasonActionNames.Contains(call.TargetMethod.Name) && !Is(call.TargetMethod.ContainingType, typeof(ReasonActions))
            => $"'{call.TargetMethod.ToDisplayString()}', which is not the policy's reason action,",
        // Reasons come only from the policy's reason actions: its codes, its texts.
        IInvocationOperation { TargetMethod.Name: "Insert", Arguments: [var fact] } insert
            when Is(insert.TargetMethod.ContainingType, typeof(IContext)) && Is(Unconverted(fact.Value).Type, typeof(Reason))
            => "inserting a Reason (reasons come from the policy's reason actions)",
        IWithOperation copy when Is(copy.Type, typeof(Reason)) => "a copy of a Reason (reasons come from the policy's reason actions)",
        IInvocationOperation { TargetMethod: { Name: "Cast" or "OfType" or "As" or "CastArray", TypeArguments: [var target] } } => Cast(null, target),
        IConversionOperation conversion when !conversion.Conversion.IsImplicit => Cast(conversion.Operand.Type, conversion.Type),
        IIsTypeOperation test => Cast(test.ValueOperand.Type, test.TypeOperand),
        IDeclarationPatternOperation { MatchedType: { } matched } pattern => Cast(pattern.InputType, matched),
        ITypePatternOperation pattern => Cast(pattern.InputType, pattern.MatchedType),
        IRecursivePatternOperation { MatchedType: { } matched } pattern => Cast(pattern.InputType, matched),
        IForEachLoopOperation { Syntax: ForEachStatementSyntax loop } when operation.SemanticModel!.GetForEachStatementInfo(loop) is var each
            && !each.ElementConversion.IsImplicit => Cast(each.ElementType, operation.SemanticModel.GetTypeInfo(loop.Type).Type),
        _ => null,
    };

    // A cast or type test must not reach the mutating side of a collection handed over read-only (the policy's reason texts).
    private static string? Cast(ITypeSymbol? from, ITypeSymbol? to) => to switch
    {
        null => null,
        _ when from is not null && SymbolEqualityComparer.Default.Equals(from, to) => null,
        ITypeParameterSymbol => $"a cast or type test to a type parameter ('{to.ToDisplayString()}')",
        IArrayTypeSymbol when from is IArrayTypeSymbol => null,
        _ when MutableCollection(to) => $"a cast or type test to a mutable collection ('{to.ToDisplayString()}')",
        _ => null,
    };

    // Any collection but the read-only views and the immutable ones.
    private static bool MutableCollection(ITypeSymbol type) =>
        type is IArrayTypeSymbol
        || type.SpecialType != SpecialType.System_String && !Immutable(type)
            && !ReadOnlyViews.Contains(type.OriginalDefinition.ToDisplayString(FullName))
            && type.AllInterfaces.Any(i => i.SpecialType == SpecialType.System_Collections_IEnumerable);

    private static bool Is(ITypeSymbol? type, Type clr) => type?.ToDisplayString(FullName) == clr.FullName;

    private static IOperation Unconverted(IOperation value) =>
        value is IConversionOperation { Conversion.IsImplicit: true } conversion ? Unconverted(conversion.Operand) : value;

    private static IEnumerable<ISymbol> Declared(SyntaxNode declaration, SemanticModel model) =>
        (declaration is BaseFieldDeclarationSyntax field
            ? field.Declaration.Variables.Select(v => model.GetDeclaredSymbol(v))
            : [model.GetDeclaredSymbol(declaration)]).OfType<ISymbol>();

    // Statics live as long as the process, and one rule object serves every decision: they hold only immutable values.
    private static string? KeptState(MemberDeclarationSyntax member, SemanticModel model)
    {
        foreach (var symbol in Declared(member, model))
        {
            if (Unchangeable(symbol) || !symbol.IsStatic && !IsRule(symbol.ContainingType)) continue;
            return symbol switch
            {
                { IsStatic: false } => "a field of a rule that is not readonly of an immutable type (one rule object serves every decision)",
                IFieldSymbol { IsReadOnly: false } => "a static field that is not readonly (state kept between decisions)",
                IFieldSymbol field => $"a static field of a type that is not immutable ('{field.Type.ToDisplayString()}') (state kept between decisions)",
                IPropertySymbol => "a static property that is not get-only of an immutable type (state kept between decisions)",
                _ => "a static event (state kept between decisions)",
            };
        }
        return null;
    }

    private static bool Unchangeable(ISymbol symbol) => symbol switch
    {
        IFieldSymbol field => field.IsConst || field.IsReadOnly && Immutable(field.Type),
        IPropertySymbol property => property.SetMethod is null && Immutable(property.Type),
        _ => false,
    };

    private static bool Immutable(ITypeSymbol type) =>
        type.TypeKind == TypeKind.Enum
        || type is INamedTypeSymbol named && ImmutableTypes.Contains(named.OriginalDefinition.ToDisplayString(FullName)) && named.TypeArguments.All(Immutable);

    private static bool IsRule(INamedTypeSymbol? type)
    {
        for (; type is not null; type = type.BaseType)
            if (Is(type, typeof(NRules.Fluent.Dsl.Rule))) return true;
        return false;
    }

    // What a pack declares may not pass for what rules expect: a reason action, an inherited member, a type they use.
    private static string? Impostor(SyntaxNode declaration, SemanticModel model)
    {
        foreach (var symbol in Declared(declaration, model))
        {
            if (ReasonActionNames.Contains(symbol.Name)) return $"a member named '{symbol.Name}' like a reason action";
            if (symbol is INamedTypeSymbol type && UsedType(type, model.Compilation) is { } used) return $"a type named like '{used}'";
            if (Hidden(symbol, model.Compilation) is { } hidden) return $"a member that hides '{hidden}'";
        }
        return null;
    }

    // Member lookup prefers the derived class: a rule's own Then() would replace the DSL's.
    private static string? Hidden(ISymbol member, Compilation compilation)
    {
        if (member.IsOverride || member is IMethodSymbol { MethodKind: not MethodKind.Ordinary }) return null;
        for (var type = member.ContainingType?.BaseType; type is not null; type = type.BaseType)
            if (type.GetMembers(member.Name).FirstOrDefault(m => compilation.IsSymbolAccessibleWithin(m, member.ContainingType!)) is { } hidden)
                return hidden.ToDisplayString();
        return null;
    }

    // A pack type named like one the rules use (ReasonCodes, Math) would take its place wherever the name is written.
    private static string? UsedType(INamedTypeSymbol declared, Compilation compilation) =>
        AllowedTypes.FirstOrDefault(t => t.Split('<')[0].Split('.')[^1] == declared.Name)
        ?? AllowedNamespaces
            .Select(ns => ns.Split('.').Aggregate((INamespaceSymbol?)compilation.GlobalNamespace,
                (parent, part) => parent?.GetMembers(part).OfType<INamespaceSymbol>().FirstOrDefault()))
            .SelectMany(ns => ns?.GetTypeMembers(declared.Name) ?? [])
            .FirstOrDefault(t => !SymbolEqualityComparer.Default.Equals(t.ContainingAssembly, compilation.Assembly))?
            .ToDisplayString();

    private static bool Allowed(ISymbol symbol, IAssemblySymbol pack) => symbol switch
    {
        INamespaceSymbol or ILocalSymbol or IParameterSymbol or IRangeVariableSymbol or ILabelSymbol or IDiscardSymbol => true,
        ITypeSymbol type => AllowedType(type, pack),
        IMethodSymbol { MethodKind: MethodKind.AnonymousFunction or MethodKind.LocalFunction } => true,
        _ when DeniedMembers.Contains(symbol.Name) => false,
        _ when symbol.ContainingType?.SpecialType == SpecialType.System_Array => ArrayMembers.Contains(symbol.Name),
        _ when Is(symbol.ContainingType, typeof(IContext)) => AllowedContextMembers.Contains(symbol.Name),
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
