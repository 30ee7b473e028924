using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace MgAuth.RulePacks.Language;

/// <summary>
/// Enforces <see cref="PackAllowList"/> on a compiled pack: its syntax shape (rule classes, records, fact declarations,
/// When()/Then() chains) and every symbol it names, resolved by Roslyn, so an alias or a qualified name changes nothing.
/// Whatever is not allowed is refused with the file, the line and what it is.
/// </summary>
internal static class PackLanguageCheck
{
    private static readonly SymbolDisplayFormat FullName = new(
        typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypesAndNamespaces,
        genericsOptions: SymbolDisplayGenericsOptions.IncludeTypeParameters);

    private static readonly SymbolDisplayFormat Signature = new(
        typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypesAndNamespaces,
        genericsOptions: SymbolDisplayGenericsOptions.IncludeTypeParameters,
        memberOptions: SymbolDisplayMemberOptions.IncludeContainingType | SymbolDisplayMemberOptions.IncludeParameters,
        parameterOptions: SymbolDisplayParameterOptions.IncludeType);

    public static IEnumerable<string> Check(CSharpCompilation compilation, string packName)
    {
        foreach (var tree in compilation.SyntaxTrees)
        {
            var walker = new Walker(compilation.GetSemanticModel(tree), Path.GetFileName(tree.FilePath));
            walker.Unit((CompilationUnitSyntax)tree.GetRoot());
            foreach (var (where, what) in walker.Refusals.OrderBy(r => r.Where.SourceSpan.Start).DistinctBy(r => (r.Where.SourceSpan.Start, r.What)))
            {
                var line = where.GetLineSpan().StartLinePosition;
                yield return $"{packName}/{tree.FilePath}({line.Line + 1},{line.Character + 1}): {what} is not allowed in a rule pack "
                    + "(a pack holds sealed rule classes whose Define() declares facts and states When()/Then() chains, and records "
                    + "of values; src/MgAuth.RulePacks/Language/PackAllowList.cs lists what they may use)";
            }
        }
    }

    private sealed class Walker(SemanticModel model, string file)
    {
        public List<(Location Where, string What)> Refusals { get; } = [];

        private IAssemblySymbol Pack => model.Compilation.Assembly;

        private void Refuse(SyntaxNode node, string what) => Refusals.Add((node.GetLocation(), what));

        private void Refuse(SyntaxToken token, string what) => Refusals.Add((token.GetLocation(), what));

        // A refused construct may hide a refused symbol too: both are reported.
        private void RefuseWhole(SyntaxNode node, string what)
        {
            Refuse(node, what);
            Sweep(node);
        }

        public void Unit(CompilationUnitSyntax unit)
        {
            // The walk below, NRules' expression visitors and the compiler recurse per level: a file nested deeper than a
            // person writes is refused before anything walks it (a left-deep a + a + … of 50,000 terms would overflow a stack).
            if (Deepest(unit) is { } deep)
            {
                Refuse(deep, $"syntax nested more than {PackAllowList.MaxSyntaxDepth} levels deep");
                return;
            }
            foreach (var trivia in unit.DescendantTrivia(descendIntoTrivia: true))
                if (trivia.IsDirective || trivia.IsKind(SyntaxKind.DisabledTextTrivia))
                    Refuse(trivia.GetStructure() ?? unit, $"a preprocessor directive ('{trivia.ToString().Trim().Split('\n')[0]}')");
            foreach (var alias in unit.Externs) Refuse(alias, "an extern alias");
            foreach (var list in unit.AttributeLists) RefuseWhole(list, "an assembly or module attribute");
            Usings(unit.Usings);
            Members(unit.Members);
        }

        private static SyntaxNode? Deepest(SyntaxNode root)
        {
            var pending = new Stack<(SyntaxNode Node, int Depth)>([(root, 0)]);
            while (pending.TryPop(out var next))
            {
                if (next.Depth > PackAllowList.MaxSyntaxDepth) return next.Node;
                foreach (var child in next.Node.ChildNodes()) pending.Push((child, next.Depth + 1));
            }
            return null;
        }

        private void Usings(SyntaxList<UsingDirectiveSyntax> usings)
        {
            foreach (var u in usings)
            {
                if (u.Alias is not null) Refuse(u, $"a using alias ('{u.Alias.Name} = {u.NamespaceOrType}')");
                else if (u.StaticKeyword.IsKind(SyntaxKind.StaticKeyword)) Refuse(u, $"a using static ('{u.NamespaceOrType}')");
                else if (u.GlobalKeyword.IsKind(SyntaxKind.GlobalKeyword) && file != PackAllowList.GlobalUsingsFile)
                    Refuse(u, $"a global using outside {PackAllowList.GlobalUsingsFile}");
                else if (!u.UnsafeKeyword.IsKind(SyntaxKind.None)) Refuse(u, "an unsafe using");
                else if (model.GetSymbolInfo(u.NamespaceOrType).Symbol is not INamespaceSymbol ns
                         || !PackAllowList.Namespaces.Contains(ns.ToDisplayString()))
                    Refuse(u, $"a using of '{u.NamespaceOrType}'");
            }
        }

        private void Members(SyntaxList<MemberDeclarationSyntax> members)
        {
            foreach (var member in members)
            {
                switch (member)
                {
                    case BaseNamespaceDeclarationSyntax ns:
                        foreach (var alias in ns.Externs) Refuse(alias, "an extern alias");
                        Usings(ns.Usings);
                        Members(ns.Members);
                        break;
                    case ClassDeclarationSyntax rule:
                        RuleClass(rule);
                        break;
                    case RecordDeclarationSyntax record when !record.ClassOrStructKeyword.IsKind(SyntaxKind.StructKeyword):
                        Record(record);
                        break;
                    default:
                        RefuseWhole(member, $"{Describe(member)}{Named(member)}");
                        break;
                }
            }
        }

        private void RuleClass(ClassDeclarationSyntax rule)
        {
            NamedLikeAllowedType(rule);
            if (rule.Modifiers.Any(SyntaxKind.StaticKeyword))
            {
                RefuseWhole(rule, $"{Describe(rule)}{Named(rule)}");
                return;
            }
            Modifiers(rule.Identifier, rule.Modifiers, [SyntaxKind.PublicKeyword, SyntaxKind.InternalKeyword, SyntaxKind.SealedKeyword], required: SyntaxKind.SealedKeyword);
            if (rule.TypeParameterList is not null) Refuse(rule.TypeParameterList, "a generic rule class");
            var declared = model.GetDeclaredSymbol(rule);
            if (rule.BaseList is not { Types.Count: 1 } || declared?.BaseType?.ToDisplayString(FullName) != PackAllowList.RuleBase)
                Refuse(rule, $"a class that does not derive from Rule alone ('{rule.Identifier}')");
            foreach (var list in rule.AttributeLists) Attributes(list);
            var defines = 0;
            foreach (var member in rule.Members)
            {
                if (member is MethodDeclarationSyntax { Identifier.Text: "Define", ParameterList.Parameters.Count: 0, TypeParameterList: null, Body: { } body } define
                    && define.ReturnType is PredefinedTypeSyntax { Keyword.RawKind: (int)SyntaxKind.VoidKeyword }
                    && define.AttributeLists.Count == 0 && defines++ == 0)
                {
                    Modifiers(define.Identifier, define.Modifiers, [SyntaxKind.PublicKeyword, SyntaxKind.OverrideKeyword], required: SyntaxKind.OverrideKeyword);
                    Define(body);
                }
                else RefuseWhole(member, $"{Describe(member)}{Named(member)}");
            }
        }

        private void Record(RecordDeclarationSyntax record)
        {
            NamedLikeAllowedType(record);
            Modifiers(record.Identifier, record.Modifiers, [SyntaxKind.PublicKeyword, SyntaxKind.InternalKeyword, SyntaxKind.SealedKeyword]);
            if (record.TypeParameterList is not null) Refuse(record.TypeParameterList, "a generic record");
            if (record.BaseList is not null) RefuseWhole(record.BaseList, "a record with a base type or interface");
            foreach (var list in record.AttributeLists) RefuseWhole(list, "an attribute on a record");
            if (record.ParameterList is not { } parameters)
            {
                Refuse(record, $"a record without positional properties ('{record.Identifier}')");
                return;
            }
            foreach (var parameter in parameters.Parameters)
            {
                foreach (var list in parameter.AttributeLists) RefuseWhole(list, "an attribute on a record property");
                if (parameter.Modifiers.Count > 0) Refuse(parameter, $"a '{parameter.Modifiers}' record property");
                if (parameter.Default is { } value && !IsLiteral(value.Value)) RefuseWhole(value, "a default that is not a literal");
                var type = model.GetDeclaredSymbol(parameter)?.Type;
                if (type is null || !IsValue(type))
                    RefuseWhole(parameter, $"a record property of type '{type?.ToDisplayString()}' (record properties hold strings, numbers, booleans, dates and enums)");
            }
            foreach (var member in record.Members) RefuseWhole(member, $"{Describe(member)}{Named(member)} in a record");
        }

        private void Modifiers(SyntaxToken node, SyntaxTokenList modifiers, SyntaxKind[] allowed, SyntaxKind? required = null)
        {
            foreach (var modifier in modifiers)
                if (!allowed.Contains(modifier.Kind())) Refuse(node, $"the modifier '{modifier.Text}'");
            if (required is { } r && !modifiers.Any(r)) Refuse(node, $"a declaration without '{SyntaxFacts.GetText(r)}'");
        }

        private void Attributes(AttributeListSyntax list)
        {
            if (list.Target is not null) Refuse(list, $"an attribute target ('{list.Target.Identifier.Text}:')");
            foreach (var attribute in list.Attributes)
            {
                var type = model.GetSymbolInfo(attribute).Symbol?.ContainingType;
                if (type is null || !PackAllowList.RuleAttributes.Contains(type.ToDisplayString(FullName)))
                    Refuse(attribute, $"the attribute '{type?.ToDisplayString() ?? attribute.Name.ToString()}'");
                foreach (var argument in attribute.ArgumentList?.Arguments ?? [])
                {
                    if (argument.NameEquals is not null || argument.NameColon is not null) Refuse(argument, "a named attribute argument");
                    if (!IsLiteral(argument.Expression) && !IsConstant(argument.Expression)) RefuseWhole(argument, "an attribute argument that is not a literal or a named constant");
                }
            }
        }

        private bool IsConstant(ExpressionSyntax e) =>
            e is MemberAccessExpressionSyntax or IdentifierNameSyntax && model.GetSymbolInfo(e).Symbol is IFieldSymbol field && AllowedField(field)
            || e is PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.UnaryMinusExpression } minus && IsConstant(minus.Operand);

        private static bool IsLiteral(ExpressionSyntax e) =>
            e is LiteralExpressionSyntax
            || e is PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.UnaryMinusExpression, Operand: LiteralExpressionSyntax };

        private void Define(BlockSyntax body)
        {
            Joins(body);
            foreach (var statement in body.Statements)
            {
                switch (statement)
                {
                    case LocalDeclarationStatementSyntax local:
                        FactDeclaration(local);
                        break;
                    case ExpressionStatementSyntax { Expression: InvocationExpressionSyntax chain } when ChainRoot(chain) is { } root:
                        if (model.GetSymbolInfo(root).Symbol is not IMethodSymbol { Name: "When" or "Then" } start
                            || Key(start) is not ("NRules.Fluent.Dsl.Rule.When" or "NRules.Fluent.Dsl.Rule.Then"))
                            RefuseWhole(statement, "a statement that is not a When() or Then() chain");
                        else Expression(chain, insideLinq: false);
                        break;
                    default:
                        RefuseWhole(statement, statement is ExpressionStatementSyntax
                            ? "a statement that is not a fact declaration or a When()/Then() chain"
                            : Describe(statement));
                        break;
                }
            }
        }

        // A rule joins at most one fact that may be many (PackAllowList.SingleFacts): Match<T> of any other fact, or a
        // Query that does not end in Collect(), counts; the rest it may collect, or test with Not/Exists/All.
        private void Joins(BlockSyntax body)
        {
            var many = body.DescendantNodes().OfType<InvocationExpressionSyntax>()
                .Select(call => (Call: call, Method: model.GetSymbolInfo(call).Symbol as IMethodSymbol))
                .Where(c => c.Method is not null && Key(c.Method) switch
                {
                    "NRules.Fluent.Dsl.ILeftHandSideExpression.Match" =>
                        !PackAllowList.SingleFacts.Contains(c.Method.TypeArguments[0].OriginalDefinition.ToDisplayString(FullName)),
                    "NRules.Fluent.Dsl.ILeftHandSideExpression.Query" => !c.Call.ArgumentList.Arguments.Any(a => a.DescendantNodes()
                        .OfType<InvocationExpressionSyntax>()
                        .Any(inner => model.GetSymbolInfo(inner).Symbol is IMethodSymbol m && Key(m) == "NRules.Fluent.Dsl.QueryExtensions.Collect")),
                    _ => false,
                })
                .OrderBy(c => c.Call.Expression is MemberAccessExpressionSyntax access ? access.Name.SpanStart : c.Call.SpanStart)
                .ToArray();
            // Each firing inserts at most as many facts as the rule has actions: few actions, few facts per firing.
            var actions = body.DescendantNodes().OfType<InvocationExpressionSyntax>()
                .Where(call => model.GetSymbolInfo(call).Symbol is IMethodSymbol m && Key(m) == "NRules.Fluent.Dsl.IRightHandSideExpression.Do")
                .OrderBy(call => call.SpanStart).ToArray();
            foreach (var call in actions.Skip(PackAllowList.MaxActionsPerRule))
                Refuse(call.Expression is MemberAccessExpressionSyntax access ? access.Name : call,
                    $"more than {PackAllowList.MaxActionsPerRule} actions in one rule (each firing may insert a fact per action)");
            foreach (var (call, method) in many.Skip(1))
                Refuse(call.Expression is MemberAccessExpressionSyntax access ? access.Name : call, $"a second pattern over a fact that may be many ('{method!.TypeArguments.FirstOrDefault()?.Name ?? method.Name}'): "
                    + "a rule joins at most one such fact; collect the others with Query(...).Collect(), or test them with Not/Exists");
        }

        // When().Match(...).Match(...): the innermost call is When() or Then(), written without a receiver.
        private static InvocationExpressionSyntax? ChainRoot(InvocationExpressionSyntax call) => call.Expression switch
        {
            IdentifierNameSyntax => call,
            MemberAccessExpressionSyntax { Expression: InvocationExpressionSyntax inner } => ChainRoot(inner),
            _ => null,
        };

        // Member m = null!; IEnumerable<FailedTrial> failures = null!;
        private void FactDeclaration(LocalDeclarationStatementSyntax local)
        {
            if (local.Modifiers.Count > 0 || !local.UsingKeyword.IsKind(SyntaxKind.None) || !local.AwaitKeyword.IsKind(SyntaxKind.None))
                Refuse(local, $"a '{string.Join(' ', local.Modifiers.Select(m => m.Text).Prepend(local.UsingKeyword.Text).Where(t => t != ""))}' local");
            var type = model.GetTypeInfo(local.Declaration.Type).Type;
            if (local.Declaration.Type.IsVar || type is null || !IsFactOrFacts(type))
            {
                RefuseWhole(local, $"a local that is not a fact declaration ('{type?.ToDisplayString() ?? local.Declaration.Type.ToString()}')");
                return;
            }
            TypeSyntax(local.Declaration.Type);
            foreach (var variable in local.Declaration.Variables)
                if (variable.Initializer?.Value is not PostfixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.SuppressNullableWarningExpression, Operand: LiteralExpressionSyntax { RawKind: (int)SyntaxKind.NullLiteralExpression } })
                    RefuseWhole(variable, "a fact declaration not initialised to null! (Member m = null!;)");
        }

        private void TypeSyntax(TypeSyntax type)
        {
            foreach (var name in type.DescendantNodesAndSelf().OfType<SimpleNameSyntax>())
                if (model.GetSymbolInfo(name).Symbol is { } symbol && !Allowed(symbol))
                    Refuse(name, $"'{symbol.ToDisplayString()}'");
        }

        private void Expression(ExpressionSyntax e, bool insideLinq)
        {
            if (!PackAllowList.ExpressionKinds.Contains(e.Kind()))
            {
                RefuseWhole(e, Describe(e));
                return;
            }
            switch (e)
            {
                case LambdaExpressionSyntax lambda:
                    Lambda(lambda, insideLinq);
                    return;
                case InterpolatedStringExpressionSyntax text:
                    Interpolation(text, insideLinq);
                    return;
                case BaseObjectCreationExpressionSyntax creation:
                    Creation(creation, insideLinq);
                    return;
                case AnonymousObjectCreationExpressionSyntax values:
                    foreach (var member in values.Initializers) Expression(member.Expression, insideLinq);
                    return;
                case InvocationExpressionSyntax call:
                    Invocation(call, insideLinq);
                    return;
                case SimpleNameSyntax name:
                    Name(name);
                    if (name is GenericNameSyntax generic)
                        foreach (var argument in generic.TypeArgumentList.Arguments) TypeArgument(argument);
                    return;
                case BinaryExpressionSyntax or PrefixUnaryExpressionSyntax:
                    Operator(e);
                    break;
            }
            foreach (var child in e.ChildNodes())
            {
                switch (child)
                {
                    case ExpressionSyntax inner: Expression(inner, insideLinq); break;
                    case ArgumentListSyntax arguments:
                        foreach (var argument in arguments.Arguments) Expression(argument.Expression, insideLinq);
                        break;
                    default: RefuseWhole(child, Describe(child)); break;
                }
            }
        }

        private void TypeArgument(TypeSyntax argument)
        {
            var type = model.GetTypeInfo(argument).Type;
            if (type is null || !IsFactOrFacts(type) && !IsValue(type)) RefuseWhole(argument, $"the type argument '{type?.ToDisplayString() ?? argument.ToString()}'");
            else TypeSyntax(argument);
        }

        private void Lambda(LambdaExpressionSyntax lambda, bool insideLinq)
        {
            if (lambda.Block is not null) RefuseWhole(lambda.Block, "a block-bodied lambda (a lambda is one expression)");
            if (lambda.Modifiers.Count > 0) Refuse(lambda, $"a '{lambda.Modifiers}' lambda");
            if (lambda.AttributeLists.Count > 0) Refuse(lambda, "an attribute on a lambda");
            if (lambda is ParenthesizedLambdaExpressionSyntax { ReturnType: { } returns }) Refuse(returns, "a lambda's return type");
            var parameters = lambda is SimpleLambdaExpressionSyntax simple ? [simple.Parameter] : ((ParenthesizedLambdaExpressionSyntax)lambda).ParameterList.Parameters.ToArray();
            foreach (var parameter in parameters)
            {
                if (parameter.Modifiers.Count > 0 || parameter.Default is not null || parameter.AttributeLists.Count > 0)
                    Refuse(parameter, "a lambda parameter with modifiers, attributes or a default");
                if (parameter.Type is { } type) TypeArgument(type);
            }
            if (lambda.ExpressionBody is { } body) Expression(body, insideLinq);
        }

        private void Interpolation(InterpolatedStringExpressionSyntax text, bool insideLinq)
        {
            foreach (var part in text.Contents.OfType<InterpolationSyntax>())
            {
                if (part.AlignmentClause is not null || part.FormatClause is not null)
                    Refuse(part, "an alignment or format in an interpolated string (padding)");
                var type = model.GetTypeInfo(part.Expression).Type;
                if (type is null || !IsValue(type)) Refuse(part, $"an interpolated value of type '{type?.ToDisplayString()}'");
                Expression(part.Expression, insideLinq);
            }
        }

        private void Creation(BaseObjectCreationExpressionSyntax creation, bool insideLinq)
        {
            if (creation.Initializer is not null) RefuseWhole(creation.Initializer, "an object or collection initializer");
            var constructor = model.GetSymbolInfo(creation).Symbol as IMethodSymbol;
            if (constructor?.ContainingType is not { } type || !IsDerivedFact(type))
                Refuse(creation, $"creating '{constructor?.ToDisplayString() ?? model.GetTypeInfo(creation).Type?.ToDisplayString() ?? creation.ToString()}'");
            else NoStringBuilt(creation);
            if (creation is ObjectCreationExpressionSyntax { Type: var named }) TypeSyntax(named);
            foreach (var argument in creation.ArgumentList?.Arguments ?? []) Expression(argument.Expression, insideLinq);
        }

        private void Invocation(InvocationExpressionSyntax call, bool insideLinq)
        {
            var method = model.GetSymbolInfo(call).Symbol as IMethodSymbol;
            var key = method is null ? "" : Key(method);
            var linq = method is not null && PackAllowList.LinqOperators.Contains(method.Name)
                && (method.ReducedFrom ?? method).ContainingType.ToDisplayString(FullName) is "System.Linq.Enumerable" or "System.Linq.ImmutableArrayExtensions";
            // One LINQ operator inside another's lambda would multiply the cost of both by the collections' sizes.
            if (linq && insideLinq) Refuse(call, $"a LINQ operator inside another's lambda ('{method!.Name}')");
            if (key == PackAllowList.ContextInsert) Inserted(call);
            if (method?.ContainingType?.ToDisplayString(FullName) == PackAllowList.ReasonActions) ReasonAction(call, method);
            Expression(call.Expression, insideLinq);
            foreach (var argument in call.ArgumentList.Arguments)
            {
                if (argument.RefKindKeyword.IsKind(SyntaxKind.None) && argument.NameColon is null) Expression(argument.Expression, insideLinq || linq);
                else RefuseWhole(argument, "a named, ref or out argument");
            }
        }

        // ctx.Insert(new ModerateToSevere("qmg")): only a derived fact made here is inserted.
        private void Inserted(InvocationExpressionSyntax insert)
        {
            if (insert.ArgumentList.Arguments is not [{ Expression: BaseObjectCreationExpressionSyntax }])
                Refuse(insert, "inserting anything but a newly created derived fact");
        }

        // A derived fact (inserted, or made in a query's Select) holds values read from facts, never a string built anew:
        // a fact that doubles a string each firing would exhaust memory long before the firing limit.
        private void NoStringBuilt(BaseObjectCreationExpressionSyntax created)
        {
            foreach (var node in created.DescendantNodes().OfType<ExpressionSyntax>())
            {
                var built = node is InterpolatedStringExpressionSyntax
                    || node is BinaryExpressionSyntax { RawKind: (int)SyntaxKind.AddExpression } && model.GetTypeInfo(node).Type?.SpecialType == SpecialType.System_String
                    || node is InvocationExpressionSyntax && model.GetTypeInfo(node).Type?.SpecialType == SpecialType.System_String;
                if (built) Refuse(node, "building a string into a derived fact");
            }
        }

        // ctx.AddReason(p, code, values): the policy is the Policy fact the rule matched, as the session was given it.
        private void ReasonAction(InvocationExpressionSyntax call, IMethodSymbol action)
        {
            var policy = call.ArgumentList.Arguments.FirstOrDefault()?.Expression;
            if (policy is not IdentifierNameSyntax || model.GetSymbolInfo(policy).Symbol is not ILocalSymbol { Type: var type }
                || type.ToDisplayString(FullName) != "MgAuth.Domain.Policies.Policy")
                Refuse(call, $"'{action.Name}' given anything but the rule's Policy fact");
        }

        private void Name(SimpleNameSyntax name)
        {
            if (model.GetSymbolInfo(name).Symbol is { } symbol && !Allowed(symbol))
                Refuse(name, $"'{symbol.ToDisplayString()}'");
        }

        private void Operator(ExpressionSyntax e)
        {
            if (model.GetSymbolInfo(e).Symbol is IMethodSymbol op && !AllowedOperator(op)) Refuse(e, $"the operator '{op.ToDisplayString()}'");
            // "" + x calls x.ToString(): only values may be joined to a string, never a fact, a reference or the policy.
            if (e is BinaryExpressionSyntax { RawKind: (int)SyntaxKind.AddExpression } add && model.GetTypeInfo(add).Type?.SpecialType == SpecialType.System_String)
                foreach (var side in new[] { add.Left, add.Right })
                    if (model.GetTypeInfo(side).Type is { } type && !IsValue(type))
                        Refuse(side, $"a string joined to a value of type '{type.ToDisplayString()}' (only values may be)");
            foreach (var conversion in model.GetOperation(e)?.DescendantsAndSelf().OfType<IConversionOperation>() ?? [])
                if (conversion.OperatorMethod is { } method && !AllowedOperator(method)) Refuse(e, $"the conversion '{method.ToDisplayString()}'");
        }

        // Outside the shapes above, every named symbol is still checked (so a refused construct names what it reaches).
        private void Sweep(SyntaxNode node)
        {
            foreach (var inner in node.DescendantNodesAndSelf())
            {
                var symbol = inner switch
                {
                    SimpleNameSyntax => model.GetSymbolInfo(inner).Symbol,
                    BaseObjectCreationExpressionSyntax => model.GetSymbolInfo(inner).Symbol,
                    _ => null,
                };
                if (symbol is not null && !Allowed(symbol) && !IsDeclaredHere(symbol, inner))
                    Refuse(inner, $"'{symbol.ToDisplayString()}'");
            }
        }

        private static bool IsDeclaredHere(ISymbol symbol, SyntaxNode node) =>
            symbol.DeclaringSyntaxReferences.Any(r => r.SyntaxTree == node.SyntaxTree && r.Span.Contains(node.Span));

        private bool Allowed(ISymbol symbol) => symbol switch
        {
            INamespaceSymbol or ILocalSymbol or IDiscardSymbol => true,
            IParameterSymbol parameter => parameter.ContainingSymbol is IMethodSymbol { MethodKind: MethodKind.AnonymousFunction },
            ITypeSymbol type => Nameable(type),
            IMethodSymbol { MethodKind: MethodKind.AnonymousFunction } => true,
            IMethodSymbol { MethodKind: MethodKind.Constructor } constructor => IsDerivedFact(constructor.ContainingType),
            IMethodSymbol { MethodKind: MethodKind.UserDefinedOperator or MethodKind.BuiltinOperator } op => AllowedOperator(op),
            IMethodSymbol method => AllowedMember(method, Key(method), SignatureOf(method)),
            IPropertySymbol property => !property.IsIndexer && AllowedMember(property, Key(property), Key(property)),
            IFieldSymbol field => AllowedField(field),
            _ => false,
        };

        private bool AllowedMember(ISymbol member, string key, string signature)
        {
            var owner = member.ContainingType?.OriginalDefinition;
            if (owner is null) return false;
            if (PackAllowList.LibraryMembers.Contains(key) || PackAllowList.LibraryMembers.Contains(signature)) return true;
            if (PackAllowList.Dsl.Contains(key) || PackAllowList.FactMethods.Contains(key) || key == PackAllowList.ContextInsert) return true;
            if (owner.ToDisplayString(FullName) == PackAllowList.ReasonActions) return member.DeclaredAccessibility == Accessibility.Public;
            // The facts' and the pack's records' own properties, read only (a record's EqualityContract is no value).
            return member is IPropertySymbol { IsStatic: false, GetMethod: not null, Name: not "EqualityContract" } property
                && (SymbolEqualityComparer.Default.Equals(owner.ContainingAssembly, Pack) && property.DeclaredAccessibility == Accessibility.Public
                    || PackAllowList.ReadableTypes.Contains(owner.ToDisplayString(FullName)) && !PackAllowList.UnreadableMembers.Contains(key));
        }

        private static bool AllowedField(IFieldSymbol field) =>
            field.IsConst && PackAllowList.ConstantTypes.Contains(field.ContainingType.ToDisplayString(FullName))
            || field.ContainingType.TypeKind == TypeKind.Enum && IsDomainEnum(field.ContainingType);

        // Arithmetic and comparison on values, equality on facts and records (all pure and of bounded cost).
        private bool AllowedOperator(IMethodSymbol op)
        {
            var owner = op.ContainingType;
            return owner is null || IsValue(owner) || IsFactOrFacts(owner) || PackAllowList.ReadableTypes.Contains(owner.OriginalDefinition.ToDisplayString(FullName))
                || owner.SpecialType is SpecialType.System_Object or SpecialType.System_Delegate;
        }

        private bool Nameable(ITypeSymbol type) =>
            IsFactOrFacts(type) || IsValue(type) || IsDerivedFact(type)
            || type is INamedTypeSymbol named
               && (PackAllowList.LibraryTypes.Contains(named.OriginalDefinition.ToDisplayString(FullName)) && named.TypeArguments.All(Nameable)
                   || PackAllowList.ConstantTypes.Contains(named.ToDisplayString(FullName))
                   || PackAllowList.ReadableTypes.Contains(named.ToDisplayString(FullName))
                   || named.ToDisplayString(FullName) is PackAllowList.ReasonActions or PackAllowList.RuleBase
                   || named.IsAnonymousType || named.TypeKind == TypeKind.TypeParameter)
            || type.TypeKind == TypeKind.TypeParameter;

        private bool IsFactOrFacts(ITypeSymbol type) =>
            IsFact(type) || type is INamedTypeSymbol { TypeArguments: [var element] } collection
                && collection.OriginalDefinition.ToDisplayString(FullName) == "System.Collections.Generic.IEnumerable<T>" && IsFact(element);

        private bool IsFact(ITypeSymbol type) =>
            PackAllowList.FactTypes.Contains(type.ToDisplayString(FullName)) || IsPackRecord(type);

        private bool IsDerivedFact(ITypeSymbol type) =>
            PackAllowList.DerivedFacts.Contains(type.ToDisplayString(FullName)) || IsPackRecord(type) || type.IsAnonymousType;

        private bool IsPackRecord(ITypeSymbol type) => type.IsRecord && SymbolEqualityComparer.Default.Equals(type.ContainingAssembly, Pack);

        private static bool IsValue(ITypeSymbol type) =>
            type.TypeKind == TypeKind.Enum && IsDomainEnum(type)
            || type is INamedTypeSymbol named && PackAllowList.ValueTypes.Contains(named.OriginalDefinition.ToDisplayString(FullName))
               && named.TypeArguments.All(IsValue);

        private static bool IsDomainEnum(ITypeSymbol type) =>
            type.ContainingNamespace?.ToDisplayString() is { } ns && PackAllowList.Namespaces.Contains(ns) && ns.StartsWith("MgAuth.Domain.", StringComparison.Ordinal)
            || type.ToDisplayString(FullName) is "System.StringComparison" or "System.MidpointRounding";

        // A pack type named like one the rules use (ReasonCodes, Policy, Math) would take its place wherever the name is written.
        private void NamedLikeAllowedType(BaseTypeDeclarationSyntax declaration)
        {
            var name = declaration.Identifier.Text;
            var used = PackAllowList.FactTypes.Concat(PackAllowList.ReadableTypes).Concat(PackAllowList.LibraryTypes).Concat(PackAllowList.ConstantTypes)
                .Append(PackAllowList.ReasonActions).Append(PackAllowList.RuleBase)
                .FirstOrDefault(t => t.Split('<')[0].Split('.')[^1] == name)
                ?? DomainTypes().FirstOrDefault(t => t.Split('.')[^1] == name);
            if (used is not null) Refuse(declaration, $"a type named like '{used}'");
        }

        private IEnumerable<string> DomainTypes() =>
            PackAllowList.Namespaces
                .Select(ns => ns.Split('.').Aggregate((INamespaceSymbol?)model.Compilation.GlobalNamespace,
                    (parent, part) => parent?.GetMembers(part).OfType<INamespaceSymbol>().FirstOrDefault()))
                .SelectMany(ns => ns?.GetTypeMembers() ?? [])
                .Where(t => !SymbolEqualityComparer.Default.Equals(t.ContainingAssembly, model.Compilation.Assembly))
                .Select(t => t.ToDisplayString(FullName));

        private static string Key(ISymbol member)
        {
            var source = member is IMethodSymbol method ? (method.ReducedFrom ?? method).OriginalDefinition : member.OriginalDefinition;
            return $"{source.ContainingType?.OriginalDefinition.ToDisplayString(FullName)}.{source.Name}";
        }

        private static string SignatureOf(IMethodSymbol method)
        {
            var source = (method.ReducedFrom ?? method).OriginalDefinition;
            return $"{Key(source)}({string.Join(", ", source.Parameters.Select(p => p.Type.ToDisplayString(FullName)))})";
        }
    }

    private static string Named(MemberDeclarationSyntax member) => member switch
    {
        BaseTypeDeclarationSyntax type => $" ('{type.Identifier.Text}')",
        MethodDeclarationSyntax method => $" ('{method.Identifier.Text}')",
        PropertyDeclarationSyntax property => $" ('{property.Identifier.Text}')",
        BaseFieldDeclarationSyntax field => $" ('{string.Join(", ", field.Declaration.Variables.Select(v => v.Identifier.Text))}')",
        DelegateDeclarationSyntax d => $" ('{d.Identifier.Text}')",
        _ => "",
    };

    // SyntaxKind.WhileStatement reads "a while statement"; a class declaration with 'static' reads "a static class declaration".
    private static string Describe(SyntaxNode node)
    {
        var words = string.Concat(node.Kind().ToString().Select((c, i) => i > 0 && char.IsUpper(c) ? " " + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
        words = words.Replace(" declaration", "", StringComparison.Ordinal).Replace(" expression", "", StringComparison.Ordinal);
        if (node is MemberDeclarationSyntax { Modifiers: var modifiers } && modifiers.Any(SyntaxKind.StaticKeyword)) words = "static " + words;
        return ("aeiou".Contains(words[0]) ? "an " : "a ") + words;
    }
}
