using MgAuth.RulePacks.Isolation;

namespace MgAuth.Worker;

/// <summary>Compiles the release, runs every case of its pack, and says what the cases cover.</summary>
public static class CheckJob
{
    public static ReleaseCheck Run(WorkerJob job) => ReleaseChecker.Check(job.Release(), job.OnlyPolicy).Check;
}
