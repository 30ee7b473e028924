using Microsoft.CodeAnalysis.CSharp;

namespace MgAuth.RulePacks.Language;

/// <summary>
/// The rule-pack language, as a security boundary: everything a pack may write or call is named here, and
/// <see cref="PackLanguageCheck"/> refuses the rest. A pack is declarations and expressions only: sealed rule
/// classes whose <c>Define()</c> declares facts (<c>Member m = null!;</c>) and states <c>When()</c>/<c>Then()</c>
/// chains of expression-bodied lambdas, and records of plain values for derived facts. With no loop statement,
/// no method, no field and no static to write, and only bounded library calls to make, a decision cannot loop,
/// recurse, keep state, reach another decision or allocate more than its facts allow.
/// Names are full names of the original definitions (<c>System.Collections.Generic.IEnumerable&lt;T&gt;</c>); a member
/// is <c>Type.Member</c>, or <c>Type.Member(parameter types)</c> for one overload only.
/// </summary>
internal static class PackAllowList
{
    /// <summary>What a <c>using</c> may import (a global using only in GlobalUsings.cs); no alias, no using static.</summary>
    public static readonly HashSet<string> Namespaces =
    [
        "System", "System.Collections.Generic", "System.Linq",
        "MgAuth.Domain.Decisions", "MgAuth.Domain.Facts", "MgAuth.Domain.Policies", "MgAuth.Domain.Requests", "MgAuth.Domain.Rules",
        "NRules.Fluent.Dsl", "NRules.RuleModel",
    ];

    /// <summary>The one file whose usings may be global.</summary>
    public const string GlobalUsingsFile = "GlobalUsings.cs";

    /// <summary>The attributes a rule class may carry.</summary>
    public static readonly HashSet<string> RuleAttributes =
    [
        "MgAuth.Domain.Rules.PolicyRowAttribute", "NRules.Fluent.Dsl.PriorityAttribute", "NRules.Fluent.Dsl.NameAttribute",
        "NRules.Fluent.Dsl.DescriptionAttribute", "NRules.Fluent.Dsl.TagAttribute",
    ];

    /// <summary>The base class of every rule class.</summary>
    public const string RuleBase = "NRules.Fluent.Dsl.Rule";

    /// <summary>Constants a pack may name (attribute arguments, reason codes).</summary>
    public static readonly HashSet<string> ConstantTypes = ["MgAuth.Domain.Decisions.ReasonCodes", "MgAuth.Domain.Rules.RulePriority"];

    /// <summary>The domain's derived facts: a rule may create and insert these, and records the pack declares.</summary>
    public static readonly string[] DerivedFacts =
    [
        "MgAuth.Domain.Facts.CriteriaUnderReview", "MgAuth.Domain.Facts.ModerateToSevere", "MgAuth.Domain.Facts.DocumentedWorsening",
        "MgAuth.Domain.Facts.CrisisCriterion", "MgAuth.Domain.Facts.FailedTrial", "MgAuth.Domain.Facts.UncountedTherapy",
        "MgAuth.Domain.Facts.Refractory", "MgAuth.Domain.Facts.UrgencyEscalation", "MgAuth.Domain.Facts.AuthorizationCap",
    ];

    /// <summary>
    /// Facts a rule may declare, match, collect and read: the request's, the policy, the derived ones. None carries a
    /// member id, a name, an NPI, an organization or an authorization id: a pack cannot decide by who the member is.
    /// </summary>
    public static readonly HashSet<string> FactTypes =
    [
        "MgAuth.Domain.Policies.Policy",
        "MgAuth.Domain.Facts.Request", "MgAuth.Domain.Facts.Member", "MgAuth.Domain.Facts.Regimen", "MgAuth.Domain.Facts.DoseLimits",
        "MgAuth.Domain.Facts.Diagnosis", "MgAuth.Domain.Facts.ClinicalFindings", "MgAuth.Domain.Facts.MemberCondition",
        "MgAuth.Domain.Facts.PriorTherapy", "MgAuth.Domain.Facts.PriorIvigCourse", "MgAuth.Domain.Facts.PlannedSurgery",
        "MgAuth.Domain.Facts.PlannedCorticosteroid", "MgAuth.Domain.Facts.PriorIvigResponse",
        "MgAuth.Domain.Facts.PriorAuthorization", "MgAuth.Domain.Facts.AuthorizationHeldElsewhere",
        .. DerivedFacts,
        // Matched only to ask whether a reason was given (its code and effect): never its message.
        "MgAuth.Domain.Decisions.Reason",
    ];

    /// <summary>
    /// Facts a session holds at most one of, which no rule can insert. A rule may join any number of these, but at most
    /// one pattern over a fact that may be many (the request's lists, history, derived facts): a join of two such would
    /// cost the product of their numbers, and of three the cube. With the request's lists bounded (FieldReader.MaxItems)
    /// and derived facts bounded by the firing limit, a rule's matches stay linear in them.
    /// </summary>
    public static readonly HashSet<string> SingleFacts =
    [
        "MgAuth.Domain.Policies.Policy", "MgAuth.Domain.Facts.Request", "MgAuth.Domain.Facts.Member", "MgAuth.Domain.Facts.Regimen",
        "MgAuth.Domain.Facts.DoseLimits", "MgAuth.Domain.Facts.Diagnosis", "MgAuth.Domain.Facts.ClinicalFindings",
        "MgAuth.Domain.Facts.PlannedSurgery", "MgAuth.Domain.Facts.PlannedCorticosteroid", "MgAuth.Domain.Facts.PriorIvigResponse",
    ];

    /// <summary>The most Do() actions one rule may state (the policy's rules state one or two).</summary>
    public const int MaxActionsPerRule = 4;

    /// <summary>How deep a pack file's syntax may nest (the policy's rules nest about 20 levels).</summary>
    public const int MaxSyntaxDepth = 200;

    /// <summary>Types whose public properties a rule may read (never set): the facts and the policy's parts.</summary>
    public static readonly HashSet<string> ReadableTypes =
    [
        .. FactTypes.Where(t => t != "MgAuth.Domain.Decisions.Reason"),
        "MgAuth.Domain.Facts.DosingWeight",
        "MgAuth.Domain.Policies.DosingWeightParameters", "MgAuth.Domain.Policies.DoseParameters", "MgAuth.Domain.Policies.SeverityParameters",
        "MgAuth.Domain.Policies.WorseningParameters", "MgAuth.Domain.Policies.CrisisParameters", "MgAuth.Domain.Policies.RenalParameters",
        "MgAuth.Domain.Policies.HistoryParameters", "MgAuth.Domain.Policies.PreThymectomyParameters", "MgAuth.Domain.Policies.BridgingParameters",
        "MgAuth.Domain.Policies.MaintenanceParameters", "MgAuth.Domain.Policies.AgentDefinition",
        "MgAuth.Domain.Policies.ProductContraindicationDefinition",
    ];

    /// <summary>Properties of readable types that are not for rules: the reason texts come only through the reason actions.</summary>
    public static readonly HashSet<string> UnreadableMembers =
    [
        "MgAuth.Domain.Policies.Policy.Reasons", "MgAuth.Domain.Policies.Policy.ReasonText", "MgAuth.Domain.Policies.Policy.Source",
        "MgAuth.Domain.Policies.Policy.Sha256",
    ];

    /// <summary>Methods of the facts (pure, over the policy's lists or the fact's own values).</summary>
    public static readonly HashSet<string> FactMethods =
    [
        "MgAuth.Domain.Policies.Policy.Covers", "MgAuth.Domain.Policies.Policy.OnFormulary", "MgAuth.Domain.Policies.Policy.Agent",
        "MgAuth.Domain.Policies.Policy.Contraindication", "MgAuth.Domain.Facts.ClinicalFindings.MissingScoreFields",
        "MgAuth.Domain.Facts.Regimen.CyclesStartingBy", "MgAuth.Domain.Facts.FailedTrials.AnyOf", "MgAuth.Domain.Facts.FailedTrials.DistinctAgents",
        "MgAuth.Domain.Decisions.Reason.Code", "MgAuth.Domain.Decisions.Reason.Effect",
    ];

    /// <summary>The policy's reason actions: a code and values in, the policy's effect, text and evidence out.</summary>
    public const string ReasonActions = "MgAuth.Domain.Decisions.ReasonActions";

    /// <summary>What an action may do with NRules' context besides the reason actions: insert a derived fact.</summary>
    public const string ContextInsert = "NRules.RuleModel.IContext.Insert";

    /// <summary>The NRules DSL a rule states its conditions and actions with (not Dependency, Filter, Yield, From).</summary>
    public static readonly HashSet<string> Dsl =
    [
        "NRules.Fluent.Dsl.Rule.When", "NRules.Fluent.Dsl.Rule.Then",
        "NRules.Fluent.Dsl.ILeftHandSideExpression.Match", "NRules.Fluent.Dsl.ILeftHandSideExpression.Query",
        "NRules.Fluent.Dsl.ILeftHandSideExpression.Having", "NRules.Fluent.Dsl.ILeftHandSideExpression.Not",
        "NRules.Fluent.Dsl.ILeftHandSideExpression.Exists", "NRules.Fluent.Dsl.ILeftHandSideExpression.All",
        "NRules.Fluent.Dsl.ILeftHandSideExpression.Or", "NRules.Fluent.Dsl.ILeftHandSideExpression.And",
        "NRules.Fluent.Dsl.ILeftHandSideExpression.Let",
        "NRules.Fluent.Dsl.IRightHandSideExpression.Do",
        "NRules.Fluent.Dsl.QueryExtensions.Match", "NRules.Fluent.Dsl.QueryExtensions.Collect",
        "NRules.Fluent.Dsl.QueryExtensions.Where", "NRules.Fluent.Dsl.QueryExtensions.Select",
    ];

    /// <summary>Value types a record property, an interpolation hole or a literal may have.</summary>
    public static readonly HashSet<string> ValueTypes =
    [
        "System.String", "System.Boolean", "System.Char", "System.Int32", "System.Int64", "System.Decimal", "System.Double",
        "System.DateOnly", "System.Nullable<T>",
    ];

    /// <summary>Library types a rule may name (as a receiver of an allowed member, a type argument, a fact collection).</summary>
    public static readonly HashSet<string> LibraryTypes =
    [
        .. ValueTypes, "System.Object", "System.Math", "System.MidpointRounding", "System.StringComparison", "System.StringComparer",
        "System.Collections.Generic.IEnumerable<T>", "System.Collections.Generic.IReadOnlyList<T>",
        "System.Collections.Immutable.ImmutableArray<T>", "System.Linq.Enumerable", "System.Linq.IOrderedEnumerable<TElement>",
        "NRules.RuleModel.IContext",
    ];

    /// <summary>LINQ operators over a collection a rule holds: each walks it once (Distinct and Order keep one copy).</summary>
    public static readonly string[] LinqOperators =
    [
        "Any", "All", "Count", "Where", "Select", "Min", "Max", "Sum", "First", "FirstOrDefault", "Contains", "Distinct", "Order",
    ];

    /// <summary>
    /// The pure library members: arithmetic and rounding, date arithmetic, a few string tests, and LINQ operators that
    /// walk a collection the rule was handed once (never Range, Repeat, Aggregate, ToList, string constructors, padding,
    /// ToString, GetHashCode, Intern).
    /// </summary>
    public static readonly HashSet<string> LibraryMembers =
    [
        "System.Math.Round", "System.Math.Min", "System.Math.Max", "System.Math.Abs", "System.Math.Floor", "System.Math.Ceiling",
        "System.DateOnly.AddDays", "System.DateOnly.AddMonths", "System.DateOnly.AddYears", "System.DateOnly.DayNumber",
        "System.DateOnly.Year", "System.DateOnly.Month", "System.DateOnly.Day",
        "System.Nullable<T>.HasValue", "System.Nullable<T>.Value", "System.Nullable<T>.GetValueOrDefault",
        "System.String.Length", "System.String.IsNullOrEmpty",
        "System.String.Equals(System.String, System.String, System.StringComparison)",
        "System.String.StartsWith(System.String, System.StringComparison)", "System.String.EndsWith(System.String, System.StringComparison)",
        "System.String.Contains(System.String, System.StringComparison)",
        "System.String.Join(System.String, System.Collections.Generic.IEnumerable<System.String>)",
        "System.StringComparer.Ordinal", "System.StringComparer.OrdinalIgnoreCase",
        "System.Collections.Immutable.ImmutableArray<T>.Contains(T)", "System.Collections.Immutable.ImmutableArray<T>.Length",
        "System.Collections.Generic.IReadOnlyCollection<T>.Count",
        .. LinqOperators.SelectMany(name => new[] { $"System.Linq.Enumerable.{name}", $"System.Linq.ImmutableArrayExtensions.{name}" }),
    ];

    /// <summary>The syntax a <c>Define()</c> expression may use (statements: fact declarations and When()/Then() chains only).</summary>
    public static readonly HashSet<SyntaxKind> ExpressionKinds =
    [
        SyntaxKind.InvocationExpression, SyntaxKind.SimpleMemberAccessExpression, SyntaxKind.IdentifierName, SyntaxKind.GenericName,
        SyntaxKind.PredefinedType, SyntaxKind.QualifiedName, SyntaxKind.NullableType,
        SyntaxKind.SimpleLambdaExpression, SyntaxKind.ParenthesizedLambdaExpression,
        SyntaxKind.ParenthesizedExpression, SyntaxKind.ConditionalExpression, SyntaxKind.SuppressNullableWarningExpression,
        SyntaxKind.ConditionalAccessExpression, SyntaxKind.MemberBindingExpression,
        SyntaxKind.StringLiteralExpression, SyntaxKind.NumericLiteralExpression, SyntaxKind.CharacterLiteralExpression,
        SyntaxKind.TrueLiteralExpression, SyntaxKind.FalseLiteralExpression, SyntaxKind.NullLiteralExpression,
        SyntaxKind.InterpolatedStringExpression,
        SyntaxKind.AddExpression, SyntaxKind.SubtractExpression, SyntaxKind.MultiplyExpression, SyntaxKind.DivideExpression,
        SyntaxKind.ModuloExpression, SyntaxKind.EqualsExpression, SyntaxKind.NotEqualsExpression, SyntaxKind.LessThanExpression,
        SyntaxKind.LessThanOrEqualExpression, SyntaxKind.GreaterThanExpression, SyntaxKind.GreaterThanOrEqualExpression,
        SyntaxKind.LogicalAndExpression, SyntaxKind.LogicalOrExpression, SyntaxKind.CoalesceExpression,
        SyntaxKind.LogicalNotExpression, SyntaxKind.UnaryMinusExpression, SyntaxKind.UnaryPlusExpression,
        SyntaxKind.ObjectCreationExpression, SyntaxKind.ImplicitObjectCreationExpression, SyntaxKind.AnonymousObjectCreationExpression,
    ];
}
