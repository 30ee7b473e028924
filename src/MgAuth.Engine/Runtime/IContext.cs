using MgAuth.Engine.Model;

namespace MgAuth.Engine;

/// <summary>What an action sees while its rule fires.</summary>
public interface IContext
{
    /// <summary>The rule that is firing.</summary>
    RuleDefinition Rule { get; }

    /// <summary>Adds a derived fact; other rules may match it (forward chaining).</summary>
    void Insert(object fact);

    /// <summary>Removes a fact; activations that depended on it are cancelled.</summary>
    void Retract(object fact);
}
