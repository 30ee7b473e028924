using MgAuth.RulePacks.Isolation;

namespace MgAuth.Cases.Releases;

/// <summary>A job the worker queue did not let in, as a refusal that passes (with when to ask again).</summary>
public static class WorkerRefusals
{
    public static Refusal Of(WorkerBusyException busy)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(busy.RetryAfter.TotalSeconds));
        return busy.Reason == WorkerBusyReason.QueueFull
            ? new Refusal(RefusalKind.WorkerQueueFull, "The rule-pack worker is busy",
                $"Every place in the queue of the worker that checks releases and runs impact analyses is taken; try again in {seconds} s.")
            {
                RetryAfter = busy.RetryAfter,
            }
            : new Refusal(RefusalKind.WorkerJobHeld, "You already have a job in the rule-pack worker",
                $"One job at a time per person: wait until your release check or impact analysis ends (within {seconds} s), then try again.")
            {
                RetryAfter = busy.RetryAfter,
            };
    }
}
