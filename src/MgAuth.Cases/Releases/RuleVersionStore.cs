using System.Data.Common;
using System.Text.Json;
using Dapper;
using MgAuth.Cases.Data;
using MgAuth.Domain.Policies;
using MgAuth.RulePacks;

namespace MgAuth.Cases.Releases;

/// <summary>Every pack and policy version that ever decided a request, by content hash, so any decision can be replayed.</summary>
public sealed class RuleVersionStore(Database database)
{
    /// <summary>
    /// Keeps the pack's files and each policy's resolved text under their hashes (already kept ones are left as they are),
    /// inside the caller's write: the release that names them commits with them.
    /// </summary>
    public static async Task RememberSourcesAsync(DbConnection connection, DbTransaction transaction, RuleRelease release, string packId,
        string packVersion, string publishedBy, string note, DateTimeOffset at)
    {
        await connection.ExecuteAsync("""
            INSERT INTO rule_pack_versions (sha256, pack_id, version, files_json, published_by, published_at, note)
            VALUES (@sha, @id, @version, @files, @publishedBy, @at, @note)
            ON CONFLICT DO NOTHING
            """, new
        {
            sha = release.Pack.Sha256, id = packId, version = packVersion, publishedBy, at, note,
            files = JsonSerializer.Serialize(release.Pack.Files.ToDictionary(f => f.Path, f => Convert.ToBase64String(f.Content))),
        }, transaction);
        // Resolved against the release's other files, so a policy that extends another is kept whole and replays alone.
        foreach (var policy in PolicyLoader.ParseUsable(release.PolicyFiles))
        {
            await connection.ExecuteAsync("""
                INSERT INTO policy_versions (sha256, policy_id, version, source, published_by, published_at)
                VALUES (@Sha256, @Id, @Version, @Source, @publishedBy, @at)
                ON CONFLICT DO NOTHING
                """, new { policy.Sha256, policy.Id, policy.Version, policy.Source, publishedBy, at }, transaction);
        }
    }

    /// <summary>Every stored pack version (to find the one that declares itself another's port).</summary>
    public IReadOnlyList<PackSource> PackSources()
    {
        using var connection = database.Open();
        return connection.Query<string>("SELECT sha256 FROM rule_pack_versions ORDER BY published_at")
            .Select(sha => PackSource(sha)!)
            .ToArray();
    }

    public PackSource? PackSource(string sha256)
    {
        using var connection = database.Open();
        var row = connection.QuerySingleOrDefault<(string Id, string Files)>(
            "SELECT pack_id, files_json FROM rule_pack_versions WHERE sha256 = @sha256", new { sha256 });
        if (row.Files is null) return null;
        var files = JsonSerializer.Deserialize<Dictionary<string, string>>(row.Files)!
            .Select(f => new PackFile(f.Key, Convert.FromBase64String(f.Value)))
            .OrderBy(f => f.Path, StringComparer.Ordinal)
            .ToArray();
        return new PackSource(row.Id, files);
    }

    public Policy? Policy(string sha256)
    {
        using var connection = database.Open();
        var row = connection.QuerySingleOrDefault<(string Id, string Source)>(
            "SELECT policy_id, source FROM policy_versions WHERE sha256 = @sha256", new { sha256 });
        return row.Source is null ? null : PolicyLoader.Parse(row.Source, $"{row.Id}.yaml");
    }
}
