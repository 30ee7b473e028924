using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Npgsql;

namespace MgAuth.Api.Tests.Support;

/// <summary>
/// MGAUTH_TEST_SQL_LOG=FILE, on PostgreSQL: every distinct SQL text the product sent in this test process (Npgsql's
/// activities: the service under WebApplicationFactory and the in-process CLI; not the tests' own queries, nor child processes), whitespace
/// collapsed, with the test class whose service sent it: "class TAB statement" lines, sorted, written to FILE when the
/// process ends. How the PostgreSQL pass's selection is checked (README, Tests): every statement of the whole project is
/// sent by some class the pass keeps. Off, and free, unless set.
/// </summary>
public static partial class SqlStatementLog
{
    private static readonly bool On = Environment.GetEnvironmentVariable("MGAUTH_TEST_SQL_LOG") is { Length: > 0 };
    private static readonly ConcurrentDictionary<(string Database, string Sql), byte> Statements = new();
    private static readonly ConcurrentDictionary<string, string> Owners = new();

    [ModuleInitializer]
    internal static void Start()
    {
        if (!On) return;
        var file = Environment.GetEnvironmentVariable("MGAUTH_TEST_SQL_LOG")!;
        ActivitySource.AddActivityListener(new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.GetTagItem("db.query.text") is string sql && SentByTheProduct())
                    Statements.TryAdd((activity.GetTagItem("db.namespace") as string ?? "?", Spaces().Replace(sql, " ").Trim()), 0);
            },
        });
        AppDomain.CurrentDomain.ProcessExit += (_, _) => File.WriteAllLines(file, Statements.Keys
            .Select(s => $"{Owners.GetValueOrDefault(s.Database, "(no test class: " + s.Database + ")")}\t{s.Sql}")
            .Distinct().Order(StringComparer.Ordinal));
    }

    /// <summary>The test class starting a service on <paramref name="connectionString"/>'s database: the test frame on the stack.</summary>
    public static void Owns(string connectionString)
    {
        if (!On) return;
        var owner = new StackTrace().GetFrames()
            .Select(f => f.GetMethod()?.DeclaringType)
            .Select(t => t is not null && t.Name.StartsWith('<') ? t.DeclaringType : t)
            .FirstOrDefault(t => t?.Namespace?.StartsWith("MgAuth.Api.Tests", StringComparison.Ordinal) == true
                && t.Namespace != typeof(SqlStatementLog).Namespace && !typeof(MgAuthFactory).IsAssignableFrom(t));
        var database = new NpgsqlConnectionStringBuilder(connectionString).Database ?? "?";
        Owners[database] = owner?.FullName?.Replace("MgAuth.Api.Tests.", "", StringComparison.Ordinal) ?? "(unknown)";
    }

    // The nearest MgAuth frame is the product's (a store in MgAuth.Cases, say), not a test's own query (an assertion's
    // count); a statement ended where no MgAuth frame is on the stack (an async continuation) counts as the product's.
    private static bool SentByTheProduct() => new StackTrace().GetFrames()
        .Select(f => f.GetMethod()?.DeclaringType?.Namespace)
        .FirstOrDefault(n => n?.StartsWith("MgAuth.", StringComparison.Ordinal) == true && n != typeof(SqlStatementLog).Namespace)
        is not { } nearest || !nearest.StartsWith("MgAuth.Api.Tests", StringComparison.Ordinal);

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
