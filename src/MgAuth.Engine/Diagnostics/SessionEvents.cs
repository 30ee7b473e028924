using MgAuth.Engine.Model;

namespace MgAuth.Engine.Diagnostics;

public sealed record FactEventArgs(object Fact);

public sealed record ActivationEventArgs(RuleDefinition Rule, IReadOnlyList<MatchedFact> Facts);

/// <summary>Diagnostics are events, not logging: subscribe to watch a session work.</summary>
public sealed class SessionEvents
{
    public event Action<FactEventArgs>? FactInserted;
    public event Action<FactEventArgs>? FactRetracted;
    public event Action<ActivationEventArgs>? ActivationCreated;
    public event Action<ActivationEventArgs>? ActivationCancelled;
    public event Action<ActivationEventArgs>? RuleFiring;
    public event Action<ActivationEventArgs>? RuleFired;

    internal bool WatchesActivations => ActivationCreated is not null || ActivationCancelled is not null;
    internal bool WatchesFiring => RuleFiring is not null || RuleFired is not null;

    internal void OnFactInserted(object fact) => FactInserted?.Invoke(new FactEventArgs(fact));
    internal void OnFactRetracted(object fact) => FactRetracted?.Invoke(new FactEventArgs(fact));
    internal void OnActivationCreated(Activation a) => ActivationCreated?.Invoke(Args(a));
    internal void OnActivationCancelled(Activation a) => ActivationCancelled?.Invoke(Args(a));
    internal void OnRuleFiring(Activation a) => RuleFiring?.Invoke(Args(a));
    internal void OnRuleFired(Activation a) => RuleFired?.Invoke(Args(a));

    private static ActivationEventArgs Args(Activation a) => new(a.Rule.Definition, MatchedFact.Of(a.Rule, a.Slots));
}
