using System.Text.Json;
using Dapper;
using MgAuth.Cases.Data;
using MgAuth.RulePacks;

namespace MgAuth.Cases.Releases;

public sealed record ReleaseRecord
{
    public required string Sha256 { get; init; }
    public required string PackSha256 { get; init; }
    public required string PackId { get; init; }
    public required string PackVersion { get; init; }
    public required string PublishedBy { get; init; }
    public DateTimeOffset PublishedAt { get; init; }
    public required string Note { get; init; }
    public long Valid { get; init; }
    public required string ProblemsJson { get; init; }
    public long CasesPassed { get; init; }
    public long CasesFailed { get; init; }
    public string? PublisherPerson { get; init; }

    /// <summary>It compiled and passed every case: it may be activated.</summary>
    public bool IsValid => Valid != 0;

    public IReadOnlyList<string> Problems => JsonSerializer.Deserialize<string[]>(ProblemsJson) ?? [];
}

public sealed record ActivationRecord
{
    public long Id { get; init; }
    public required string ReleaseSha256 { get; init; }
    public required string Kind { get; init; }
    public required string ActivatedBy { get; init; }
    public DateTimeOffset ActivatedAt { get; init; }
    public DateTimeOffset EffectiveFrom { get; init; }
    public required string Note { get; init; }
}

/// <summary>Every published release (its pack and policy files, who published it, when and why) and every activation.</summary>
public sealed class ReleaseStore(Database database, RuleVersionStore versions, TimeProvider clock)
{
    private const string ReleaseColumns = """
        sha256 AS Sha256, pack_sha256 AS PackSha256, pack_id AS PackId, pack_version AS PackVersion, published_by AS PublishedBy,
        published_at AS PublishedAt, note AS Note, valid AS Valid, problems_json AS ProblemsJson, cases_passed AS CasesPassed,
        cases_failed AS CasesFailed, publisher_person AS PublisherPerson
        """;

    public void Save(RuleRelease release, string packId, string packVersion, bool valid, IReadOnlyList<string> problems,
        int passed, int failed, ReleaseActor publisher, string note)
    {
        versions.RememberSources(release, packId, packVersion, publisher.Id, note);
        using var connection = database.Open();
        connection.Execute("""
            INSERT INTO rule_releases (sha256, pack_sha256, pack_id, pack_version, policies_json, published_by, published_at,
                note, valid, problems_json, cases_passed, cases_failed, publisher_person)
            VALUES (@sha, @packSha, @packId, @packVersion, @policies, @publishedBy, @now, @note, @valid, @problems, @passed, @failed,
                @publisherPerson)
            ON CONFLICT DO NOTHING
            """, new
        {
            sha = release.Sha256, packSha = release.Pack.Sha256, packId, packVersion, publishedBy = publisher.Id,
            publisherPerson = publisher.Person, note, valid = valid ? 1 : 0, passed, failed,
            policies = JsonSerializer.Serialize(release.PolicyFiles), problems = JsonSerializer.Serialize(problems),
            now = clock.GetUtcNow(),
        });
    }

    public ReleaseRecord? Find(string sha256)
    {
        using var connection = database.Open();
        return connection.QuerySingleOrDefault<ReleaseRecord>($"SELECT {ReleaseColumns} FROM rule_releases WHERE sha256 = @sha256", new { sha256 });
    }

    public IReadOnlyList<ReleaseRecord> All()
    {
        using var connection = database.Open();
        return connection.Query<ReleaseRecord>($"SELECT {ReleaseColumns} FROM rule_releases ORDER BY published_at DESC").ToArray();
    }

    public RuleRelease? Release(string sha256)
    {
        using var connection = database.Open();
        var row = connection.QuerySingleOrDefault<(string PackSha, string Policies)>(
            "SELECT pack_sha256, policies_json FROM rule_releases WHERE sha256 = @sha256", new { sha256 });
        if (row.PackSha is null || versions.PackSource(row.PackSha) is not { } pack) return null;
        return new RuleRelease(pack, JsonSerializer.Deserialize<Dictionary<string, string>>(row.Policies)!);
    }

    public ActivationRecord AddActivation(string releaseSha, string kind, string by, DateTimeOffset effectiveFrom, string note)
    {
        using var connection = database.Open();
        var at = clock.GetUtcNow();
        var id = connection.ExecuteScalar<long>("""
            INSERT INTO activations (release_sha256, kind, activated_by, activated_at, effective_from, note)
            VALUES (@releaseSha, @kind, @by, @at, @effectiveFrom, @note)
            RETURNING id
            """, new { releaseSha, kind, by, at, effectiveFrom, note });
        return new ActivationRecord
        {
            Id = id, ReleaseSha256 = releaseSha, Kind = kind, ActivatedBy = by, ActivatedAt = at, EffectiveFrom = effectiveFrom, Note = note,
        };
    }

    /// <summary>The newest activation, or null when nothing was ever activated: one indexed row, cheap enough to poll.</summary>
    public ActivationRecord? LatestActivation()
    {
        using var connection = database.Open();
        return connection.QuerySingleOrDefault<ActivationRecord>("""
            SELECT id AS Id, release_sha256 AS ReleaseSha256, kind AS Kind, activated_by AS ActivatedBy, activated_at AS ActivatedAt,
                effective_from AS EffectiveFrom, note AS Note
            FROM activations ORDER BY id DESC LIMIT 1
            """);
    }

    public IReadOnlyList<ActivationRecord> Activations()
    {
        using var connection = database.Open();
        return connection.Query<ActivationRecord>("""
            SELECT id AS Id, release_sha256 AS ReleaseSha256, kind AS Kind, activated_by AS ActivatedBy, activated_at AS ActivatedAt,
                effective_from AS EffectiveFrom, note AS Note
            FROM activations ORDER BY id
            """).ToArray();
    }
}
