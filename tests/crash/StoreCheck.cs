using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;

namespace MgAuth.Crash;

/// <summary>What the store holds after a crash and a restart, and every way it breaks the invariants.</summary>
public sealed record StoreReport(long Authorizations, int Acknowledged, int AcknowledgedStored, IReadOnlyList<string> Problems)
{
    public bool Holds => Problems.Count == 0;

    public override string ToString() =>
        $"{Authorizations} authorizations stored; {AcknowledgedStored}/{Acknowledged} acknowledged stored with their decision and audit entries; "
        + $"{Authorizations - AcknowledgedStored} stored but never acknowledged (in flight at the kill); "
        + (Holds ? "no partial or orphan rows; integrity ok" : $"{Problems.Count} problem(s):\n  " + string.Join("\n  ", Problems.Take(50)));
}

/// <summary>
/// The invariants a crash must not break: every acknowledged authorization is stored with the very decision it was
/// answered with, its revision and its audit entries (submitted, decided); no authorization lacks a revision or an
/// audit entry, no revision or event lacks its authorization, and SQLite finds the file intact.
/// </summary>
public static class StoreCheck
{
    // Each query names the rows that break one invariant.
    private static readonly (string Broken, string Sql)[] Invariants =
    [
        ("authorization without its current revision", """
            SELECT a.id FROM authorizations a
            WHERE NOT EXISTS (SELECT 1 FROM revisions r WHERE r.authorization_id = a.id AND r.revision = a.revision)
            """),
        ("authorization whose revisions do not count up to its revision number", """
            SELECT a.id FROM authorizations a WHERE (SELECT COUNT(*) FROM revisions r WHERE r.authorization_id = a.id) <> a.revision
            """),
        ("authorization without its 'submitted' audit entry", """
            SELECT a.id FROM authorizations a WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.authorization_id = a.id AND e.kind = 'submitted')
            """),
        ("authorization without its 'decided' audit entry", """
            SELECT a.id FROM authorizations a WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.authorization_id = a.id AND e.kind = 'decided')
            """),
        ("authorization whose decision differs from its current revision's", """
            SELECT a.id FROM authorizations a JOIN revisions r ON r.authorization_id = a.id AND r.revision = a.revision
            WHERE NOT EXISTS (SELECT 1 FROM determinations d WHERE d.authorization_id = a.id)
              AND a.decision <> json_extract(r.decision_json, '$.decision')
            """),
        ("revision without its authorization", """
            SELECT r.authorization_id FROM revisions r WHERE NOT EXISTS (SELECT 1 FROM authorizations a WHERE a.id = r.authorization_id)
            """),
        ("event without its authorization", """
            SELECT e.authorization_id FROM events e WHERE NOT EXISTS (SELECT 1 FROM authorizations a WHERE a.id = e.authorization_id)
            """),
    ];

    public static StoreReport Run(string databasePath, IReadOnlyList<Acknowledgement> acknowledged)
    {
        var problems = new List<string>();
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ToString());
        connection.Open();

        var integrity = Strings(connection, "PRAGMA integrity_check");
        if (integrity is not ["ok"]) problems.Add($"integrity_check: {string.Join("; ", integrity)}");
        foreach (var row in Strings(connection, "PRAGMA foreign_key_check")) problems.Add($"foreign key broken in {row}");
        foreach (var (broken, sql) in Invariants)
            foreach (var id in Strings(connection, sql)) problems.Add($"{broken}: {id}");

        var stored = 0;
        foreach (var ack in acknowledged)
        {
            var problem = Acknowledged(connection, ack);
            if (problem is null) stored++;
            else problems.Add($"acknowledged {ack.AuthorizationId}: {problem}");
        }
        var authorizations = (long)Command(connection, "SELECT COUNT(*) FROM authorizations").ExecuteScalar()!;
        return new StoreReport(authorizations, acknowledged.Count, stored, problems);
    }

    private static string? Acknowledged(SqliteConnection connection, Acknowledgement ack)
    {
        using var command = Command(connection, """
            SELECT r.decision_json, a.decision,
                (SELECT COUNT(*) FROM events e WHERE e.authorization_id = a.id AND e.kind IN ('submitted', 'decided'))
            FROM authorizations a JOIN revisions r ON r.authorization_id = a.id AND r.revision = 1
            WHERE a.id = $id
            """);
        command.Parameters.AddWithValue("$id", ack.AuthorizationId);
        using var reader = command.ExecuteReader();
        if (!reader.Read()) return "not stored (no authorization with its first revision)";
        var decisionJson = reader.GetString(0);
        if (Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(decisionJson))) != ack.DecisionSha256)
            return "the stored decision is not the one the service answered with";
        if ((string?)JsonNode.Parse(decisionJson)?["decision"] != reader.GetString(1)) return "the row's decision differs from the stored decision";
        return reader.GetInt64(2) == 2 ? null : $"{reader.GetInt64(2)} of its 2 audit entries (submitted, decided)";
    }

    private static List<string> Strings(SqliteConnection connection, string sql)
    {
        using var command = Command(connection, sql);
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
            rows.Add(string.Join(" ", Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "null" : reader.GetValue(i).ToString())));
        return rows;
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }
}
