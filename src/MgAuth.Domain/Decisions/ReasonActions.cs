using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Reflection;
using MgAuth.Domain.Policies;
using NRules.RuleModel;

namespace MgAuth.Domain.Decisions;

/// <summary>
/// How a rule adds a reason: the code names the policy's text, and <c>values</c> (an anonymous
/// object) fills the message's placeholders, e.g. <c>new { requested = r.CourseGrams }</c>.
/// </summary>
public static class ReasonActions
{
    private static readonly ConcurrentDictionary<Type, (string Name, Func<object, object?> Read)[]> Readers = new();

    public static void AddReason(this IContext context, Policy policy, string code, object values) =>
        context.Insert(Create(context, policy, code, values));

    public static void AddMissingDocumentation(this IContext context, Policy policy, object values, params string[] missing) =>
        context.Insert(Create(context, policy, ReasonCodes.DocumentationMissing, values) with { MissingDocumentation = missing });

    public static void AddMissingDocumentation(this IContext context, Policy policy, object values, IReadOnlyList<string> missing) =>
        context.Insert(Create(context, policy, ReasonCodes.DocumentationMissing, values) with { MissingDocumentation = missing });

    public static void AddReasonWithAlternative(this IContext context, Policy policy, string code, decimal approvableCourseGrams, object values) =>
        context.Insert(Create(context, policy, code, values) with { ApprovableCourseGrams = approvableCourseGrams });

    private static Reason Create(IContext context, Policy policy, string code, object values)
    {
        // Defence in depth (the pack language lets a rule hand over only its Policy fact): the policy must be one this
        // rule matched, as the session was given it; the decider then checks every reason against the release's policy.
        if (!MatchedBy(context, policy))
            throw new InvalidOperationException("A reason action was handed a policy the rule did not match.");
        var text = policy.ReasonText(code);
        var readers = Readers.GetOrAdd(values.GetType(), CompileReaders);
        Span<(string, object?)> pairs = new (string, object?)[readers.Length];
        for (var i = 0; i < readers.Length; i++)
            pairs[i] = (readers[i].Name, readers[i].Read(values));
        return new Reason(code, text.Effect, text.DenialKind, text.Message.Render(pairs), text.PolicyRef, text.Evidence, context.Rule.Name) { Text = text };
    }

    private static bool MatchedBy(IContext context, Policy policy)
    {
        foreach (var fact in context.Match.Facts)
            if (ReferenceEquals(fact.Value, policy)) return true;
        return false;
    }

    private static (string, Func<object, object?>)[] CompileReaders(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p =>
            {
                var instance = Expression.Parameter(typeof(object), "values");
                var read = Expression.Convert(Expression.Property(Expression.Convert(instance, type), p), typeof(object));
                return (p.Name, Expression.Lambda<Func<object, object?>>(read, instance).Compile());
            })
            .ToArray();
}
