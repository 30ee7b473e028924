using MgAuth.Engine.Compilation;
using MgAuth.Engine.Diagnostics;
using MgAuth.Engine.Dsl;

namespace MgAuth.Engine.Tests.Fixtures;

/// <summary>Small helpers shared by the test classes.</summary>
internal static class Run
{
    public static Session Session(params Rule[] rules) => RuleCompiler.Compile(rules).CreateSession();

    public static Session Session(SessionOptions options, params Rule[] rules) => RuleCompiler.Compile(rules).CreateSession(options);

    /// <summary>The names of the rules that fired, in firing order.</summary>
    public static string[] Fired(Session session) => session.Trace.Select(t => t.Rule.Name).ToArray();

    /// <summary>The matched fact bound to <paramref name="alias"/> in one trace entry.</summary>
    public static object? Bound(FiredRule fired, string alias) => fired.Facts.Single(f => f.Name == alias).Value;

    /// <summary>Records every session event as "Kind:Subject" strings, in the order raised.</summary>
    public static List<string> Record(Session session)
    {
        var log = new List<string>();
        session.Events.FactInserted += e => log.Add($"Inserted:{e.Fact}");
        session.Events.FactRetracted += e => log.Add($"Retracted:{e.Fact}");
        session.Events.ActivationCreated += e => log.Add($"Created:{e.Rule.Name}");
        session.Events.ActivationCancelled += e => log.Add($"Cancelled:{e.Rule.Name}");
        session.Events.RuleFiring += e => log.Add($"Firing:{e.Rule.Name}");
        session.Events.RuleFired += e => log.Add($"Fired:{e.Rule.Name}");
        return log;
    }
}
