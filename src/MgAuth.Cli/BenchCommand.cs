namespace MgAuth.Cli;

public static class BenchCommand
{
    public static int Run(Options options, TextWriter stdout) => throw new UsageException("bench is not built yet");
}
