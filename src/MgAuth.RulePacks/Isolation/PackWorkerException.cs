namespace MgAuth.RulePacks.Isolation;

/// <summary>
/// The worker did not finish its job: <see cref="What"/> says how ("stack overflow", "timed out
/// after 30 s", "ran out of memory", "crashed"), in words a policy author can act on. Never carries
/// the worker's own output beyond an exception's type: that output can quote member data.
/// </summary>
public sealed class PackWorkerException(string what) : Exception($"The rule pack's worker stopped: {what}.")
{
    public string What { get; } = what;
}
