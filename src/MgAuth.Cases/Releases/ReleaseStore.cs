using System.Data.Common;
using System.Text.Json;
using Dapper;
using MgAuth.Cases.Data;
using MgAuth.Domain.Decisions;
using MgAuth.RulePacks;
using MgAuth.RulePacks.Isolation;

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
    /// <summary>The publisher's person id (their subject at <see cref="PublisherIssuer"/>): what four eyes compare.</summary>
    public string? PublisherPerson { get; init; }
    public string? PublisherIssuer { get; init; }
    public string? PublisherName { get; init; }

    /// <summary>The publishing key's name, for a release recorded before publishers' names were.</summary>
    public string? PublisherKeyName { get; init; }

    /// <summary>Who published it, as a person (a release recorded before persons were: its key, by the key's name if known).</summary>
    public Person Publisher => Person.Stored(PublisherIssuer, PublisherPerson, PublisherName, PublishedBy, PublisherKeyName);

    /// <summary>The upload's size (its pack files and policy texts); null for releases recorded before sizes were.</summary>
    public long? SizeBytes { get; init; }

    /// <summary>False for a refused upload recorded without its content (its hash, size, who and why only).</summary>
    public bool ContentKept { get; init; } = true;

    /// <summary>It compiled and passed every case: it may be activated.</summary>
    public bool IsValid => Valid != 0;

    public IReadOnlyList<string> Problems => JsonSerializer.Deserialize<string[]>(ProblemsJson) ?? [];
}

public sealed record ActivationRecord
{
    public long Id { get; init; }
    public required string ReleaseSha256 { get; init; }
    public ActivationKind Kind { get; init; }
    public required string ActivatedBy { get; init; }
    public DateTimeOffset ActivatedAt { get; init; }
    public DateTimeOffset EffectiveFrom { get; init; }
    public required string Note { get; init; }
    public string? ActivatedIssuer { get; init; }
    public string? ActivatedSubject { get; init; }
    public string? ActivatedName { get; init; }
    public string? ActivatedKeyName { get; init; }

    /// <summary>Who activated or rolled back, as a person (an activation recorded before persons were: its key).</summary>
    public Person ActivatedPerson => Person.Stored(ActivatedIssuer, ActivatedSubject, ActivatedName, ActivatedBy, ActivatedKeyName);
}

/// <summary>
/// Every published release (its pack and policy files, who published it, when and why) and every activation. A refused
/// upload is kept as its hash, size, who and why (<c>refused_uploads</c>), never its content: nothing can run or replay it,
/// and a refusal costs a row, not megabytes.
/// </summary>
public sealed class ReleaseStore(Database database, RuleVersionStore versions)
{
    private const string ReleaseColumns = """
        sha256 AS Sha256, pack_sha256 AS PackSha256, pack_id AS PackId, pack_version AS PackVersion, published_by AS PublishedBy,
        published_at AS PublishedAt, note AS Note, valid AS Valid, problems_json AS ProblemsJson, cases_passed AS CasesPassed,
        cases_failed AS CasesFailed, publisher_person AS PublisherPerson, size_bytes AS SizeBytes, publisher_issuer AS PublisherIssuer,
        publisher_name AS PublisherName, (SELECT k.name FROM api_keys k WHERE k.id = published_by) AS PublisherKeyName
        """;

    private const string RefusedColumns = """
        sha256 AS Sha256, pack_sha256 AS PackSha256, pack_id AS PackId, pack_version AS PackVersion, published_by AS PublishedBy,
        published_at AS PublishedAt, note AS Note, CAST(0 AS BIGINT) AS Valid, problems_json AS ProblemsJson, cases_passed AS CasesPassed,
        cases_failed AS CasesFailed, publisher_person AS PublisherPerson, size_bytes AS SizeBytes, publisher_issuer AS PublisherIssuer,
        publisher_name AS PublisherName, (SELECT k.name FROM api_keys k WHERE k.id = published_by) AS PublisherKeyName
        """;

    // What a refused row keeps of the checks' problems: enough to act on, not a second copy of the upload.
    private const int ProblemsKept = 100;
    private const int ProblemLength = 1000;

    /// <summary>
    /// Records a release inside the caller's write (its audit entry commits with it): a valid one (or the repository's own)
    /// with its content, a refused one as its hash, size, who and why only. <paramref name="keepContent"/> overrides that for a
    /// release that is not an upload (the repository's).
    /// </summary>
    public static async Task SaveAsync(DbConnection connection, DbTransaction transaction, RuleRelease release, ReleaseCheck check,
        ReleaseActor publisher, string note, DateTimeOffset at, bool keepContent = false)
    {
        var size = SizeOf(release);
        if (!check.Valid && !keepContent)
        {
            await connection.ExecuteAsync("""
                INSERT INTO refused_uploads (sha256, pack_sha256, pack_id, pack_version, size_bytes, published_by, publisher_person,
                    publisher_issuer, publisher_name, published_at, note, problems_json, cases_passed, cases_failed)
                VALUES (@sha, @packSha, @PackId, @PackVersion, @size, @publishedBy, @publisherPerson, @publisherIssuer, @publisherName, @at,
                    @note, @problems, @Passed, @Failed)
                ON CONFLICT DO NOTHING
                """, new
            {
                sha = release.Sha256, packSha = release.Pack.Sha256, check.PackId, check.PackVersion, size, publishedBy = publisher.Id,
                publisherPerson = publisher.Person?.Subject, publisherIssuer = publisher.Person?.Issuer, publisherName = publisher.Person?.Name,
                note, check.Passed, check.Failed, at,
                problems = JsonSerializer.Serialize(check.AllProblems.Take(ProblemsKept).Select(p => p.Length > ProblemLength ? p[..ProblemLength] + "…" : p)),
            }, transaction);
            return;
        }
        await RuleVersionStore.RememberSourcesAsync(connection, transaction, release, check.PackId, check.PackVersion, publisher.Id, note, at);
        await connection.ExecuteAsync("""
            INSERT INTO rule_releases (sha256, pack_sha256, pack_id, pack_version, policies_json, published_by, published_at,
                note, valid, problems_json, cases_passed, cases_failed, publisher_person, size_bytes, publisher_issuer, publisher_name)
            VALUES (@sha, @packSha, @PackId, @PackVersion, @policies, @publishedBy, @at, @note, @valid, @problems, @Passed, @Failed,
                @publisherPerson, @size, @publisherIssuer, @publisherName)
            ON CONFLICT DO NOTHING
            """, new
        {
            sha = release.Sha256, packSha = release.Pack.Sha256, check.PackId, check.PackVersion, publishedBy = publisher.Id,
            publisherPerson = publisher.Person?.Subject, publisherIssuer = publisher.Person?.Issuer, publisherName = publisher.Person?.Name,
            note, valid = check.Valid ? 1 : 0, check.Passed, check.Failed, size,
            policies = JsonSerializer.Serialize(release.PolicyFiles), problems = JsonSerializer.Serialize(check.AllProblems), at,
        }, transaction);
    }

    /// <summary>An upload's size: its pack files' bytes and its policy texts' UTF-8 bytes.</summary>
    public static long SizeOf(RuleRelease release) =>
        release.Pack.Files.Sum(f => (long)f.Content.Length + System.Text.Encoding.UTF8.GetByteCount(f.Path))
        + release.PolicyFiles.Sum(p => (long)System.Text.Encoding.UTF8.GetByteCount(p.Key) + System.Text.Encoding.UTF8.GetByteCount(p.Value));

    /// <summary>The bytes a person has published since <paramref name="since"/>, kept or refused (their daily quota); person ids compare without case.</summary>
    public long PublishedBytesSince(string person, DateTimeOffset since)
    {
        using var connection = database.Open();
        return connection.ExecuteScalar<long>("""
            SELECT COALESCE((SELECT SUM(size_bytes) FROM rule_releases WHERE published_at >= @since AND LOWER(publisher_person) = LOWER(@person)), 0)
                 + COALESCE((SELECT SUM(size_bytes) FROM refused_uploads WHERE published_at >= @since AND LOWER(publisher_person) = LOWER(@person)), 0)
            """, new { person, since });
    }

    public ReleaseRecord? Find(string sha256)
    {
        using var connection = database.Open();
        if (connection.QuerySingleOrDefault<ReleaseRecord>($"SELECT {ReleaseColumns} FROM rule_releases WHERE sha256 = @sha256", new { sha256 }) is { } kept)
            return kept;
        return connection.QuerySingleOrDefault<ReleaseRecord>($"SELECT {RefusedColumns} FROM refused_uploads WHERE sha256 = @sha256", new { sha256 })
            is { } refused ? refused with { ContentKept = false } : null;
    }

    public IReadOnlyList<ReleaseRecord> All()
    {
        using var connection = database.Open();
        return connection.Query<ReleaseRecord>($"SELECT {ReleaseColumns} FROM rule_releases")
            .Concat(connection.Query<ReleaseRecord>($"SELECT {RefusedColumns} FROM refused_uploads").Select(r => r with { ContentKept = false }))
            .OrderByDescending(r => r.PublishedAt).ToArray();
    }

    public RuleRelease? Release(string sha256)
    {
        using var connection = database.Open();
        var row = connection.QuerySingleOrDefault<(string PackSha, string Policies)>(
            "SELECT pack_sha256, policies_json FROM rule_releases WHERE sha256 = @sha256", new { sha256 });
        if (row.PackSha is null || versions.PackSource(row.PackSha) is not { } pack) return null;
        return new RuleRelease(pack, JsonSerializer.Deserialize<Dictionary<string, string>>(row.Policies)!);
    }

    /// <summary>Records an activation inside the caller's write (its audit entry commits with it).</summary>
    public static async Task<ActivationRecord> AddActivationAsync(DbConnection connection, DbTransaction transaction, string releaseSha,
        ActivationKind kind, ReleaseActor by, DateTimeOffset at, DateTimeOffset effectiveFrom, string note)
    {
        var id = await connection.ExecuteScalarAsync<long>("""
            INSERT INTO activations (release_sha256, kind, activated_by, activated_at, effective_from, note, activated_issuer, activated_subject,
                activated_name)
            VALUES (@releaseSha, @kind, @byId, @at, @effectiveFrom, @note, @issuer, @subject, @name)
            RETURNING id
            """, new { releaseSha, kind, byId = by.Id, at, effectiveFrom, note, issuer = by.Person?.Issuer, subject = by.Person?.Subject,
                name = by.Person?.Name }, transaction);
        return new ActivationRecord
        {
            Id = id, ReleaseSha256 = releaseSha, Kind = kind, ActivatedBy = by.Id, ActivatedAt = at, EffectiveFrom = effectiveFrom, Note = note,
            ActivatedIssuer = by.Person?.Issuer, ActivatedSubject = by.Person?.Subject, ActivatedName = by.Person?.Name,
        };
    }

    /// <summary>The newest activation, or null when nothing was ever activated: one indexed row, cheap enough to poll.</summary>
    public ActivationRecord? LatestActivation()
    {
        using var connection = database.Open();
        return connection.QuerySingleOrDefault<ActivationRecord>("""
            SELECT id AS Id, release_sha256 AS ReleaseSha256, kind AS Kind, activated_by AS ActivatedBy, activated_at AS ActivatedAt,
                effective_from AS EffectiveFrom, note AS Note, activated_issuer AS ActivatedIssuer, activated_subject AS ActivatedSubject,
                activated_name AS ActivatedName, (SELECT k.name FROM api_keys k WHERE k.id = activated_by) AS ActivatedKeyName
            FROM activations ORDER BY id DESC LIMIT 1
            """);
    }

    public IReadOnlyList<ActivationRecord> Activations()
    {
        using var connection = database.Open();
        return connection.Query<ActivationRecord>("""
            SELECT id AS Id, release_sha256 AS ReleaseSha256, kind AS Kind, activated_by AS ActivatedBy, activated_at AS ActivatedAt,
                effective_from AS EffectiveFrom, note AS Note, activated_issuer AS ActivatedIssuer, activated_subject AS ActivatedSubject,
                activated_name AS ActivatedName, (SELECT k.name FROM api_keys k WHERE k.id = activated_by) AS ActivatedKeyName
            FROM activations ORDER BY id
            """).ToArray();
    }
}
