using Microsoft.Extensions.Logging;

namespace MgAuth.Cli;

/// <summary>The command line's logger: warnings and errors, one line each on stderr ("mgauth: warning: …"); the rest is dropped.</summary>
public sealed class WarningWriter(TextWriter stderr) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning && logLevel != LogLevel.None;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (IsEnabled(logLevel)) stderr.WriteLine($"mgauth: {(logLevel == LogLevel.Warning ? "warning" : "error")}: {formatter(state, exception)}");
    }
}
