namespace MgAuth.RulePacks.Isolation;

/// <summary>The worker's exit codes (a crash of the runtime itself exits otherwise, e.g. 134 on a stack overflow).</summary>
public static class WorkerExit
{
    public const int Ok = 0;
    public const int BadJob = 2;
    public const int OutOfMemory = 3;
    public const int DoesNotCompile = 4;
}
