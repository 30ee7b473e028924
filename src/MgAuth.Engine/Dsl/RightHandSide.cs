using System.Linq.Expressions;
using MgAuth.Engine.Model;

namespace MgAuth.Engine.Dsl;

/// <summary>The Then() part of a rule: actions run when it fires, in order.</summary>
public sealed class RightHandSide
{
    private readonly List<ActionElement> _actions = [];

    internal IReadOnlyList<ActionElement> Actions => _actions;

    public RightHandSide Do(Expression<Action<IContext>> action)
    {
        _actions.Add(new ActionElement(action));
        return this;
    }
}
