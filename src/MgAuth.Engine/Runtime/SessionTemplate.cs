namespace MgAuth.Engine;

/// <summary>
/// Facts already inserted and matched, for sessions to start from (made by <see cref="RuleNetwork.Prepare"/>).
/// Immutable once made and safe to share between threads. A session created from it holds the same
/// facts, memories and pending activations as one that inserted the same facts itself first; only the
/// insert and activation events for those facts are not raised again.
/// </summary>
public sealed class SessionTemplate
{
    private readonly Session _seed; // never fired, never handed out
    private readonly Activation[] _pending;

    internal SessionTemplate(Session seed)
    {
        _seed = seed;
        _pending = seed.PendingInOrder();
    }

    public int FactCount => _seed.FactCount;

    public Session CreateSession(SessionOptions? options = null) => new(_seed, _pending, options ?? SessionOptions.Default);
}
