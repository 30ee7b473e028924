using System.Reflection;
using MgAuth.Engine.Model;

namespace MgAuth.Engine.Dsl;

/// <summary>
/// Base class of a rule written in the fluent DSL: override <see cref="Define"/> and describe the
/// left-hand side with <see cref="When"/> and the actions with <see cref="Then"/>.
/// </summary>
public abstract class Rule
{
    private LeftHandSide? _when;
    private RightHandSide? _then;

    protected LeftHandSide When() => _when ?? throw NotDefining();

    protected RightHandSide Then() => _then ?? throw NotDefining();

    protected abstract void Define();

    /// <summary>Runs <see cref="Define"/> and returns the rule as plain data.</summary>
    public RuleDefinition GetDefinition()
    {
        var type = GetType();
        var name = type.GetCustomAttribute<NameAttribute>()?.Value ?? type.Name;
        _when = new LeftHandSide(name);
        _then = new RightHandSide();
        try
        {
            Define();
            if (_when.Elements.Count == 0)
                throw new RuleDefinitionException(name, "the rule has no When() patterns");
            if (_then.Actions.Count == 0)
                throw new RuleDefinitionException(name, "the rule has no Then() actions");
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var attribute in type.GetCustomAttributes<MetadataAttribute>(inherit: true))
                foreach (var (key, value) in attribute.Entries)
                    metadata[key] = value;
            return new RuleDefinition(
                name,
                type.GetCustomAttribute<DescriptionAttribute>()?.Value ?? "",
                type.GetCustomAttribute<PriorityAttribute>(inherit: true)?.Value ?? 0,
                type.GetCustomAttributes<TagAttribute>(inherit: true).Select(t => t.Value).ToArray(),
                metadata,
                _when.Elements.ToArray(),
                _then.Actions.ToArray());
        }
        finally
        {
            _when = null;
            _then = null;
        }
    }

    private static InvalidOperationException NotDefining() =>
        new("When() and Then() can only be called from Define().");
}

/// <summary>A rule whose definition is malformed (raised while defining, before compilation).</summary>
public sealed class RuleDefinitionException(string rule, string problem)
    : Exception($"Rule '{rule}': {problem}.")
{
    public string Rule { get; } = rule;
}
