using Dapper;
using MgAuth.Cases.Data;

namespace MgAuth.Cases.Releases;

/// <summary>
/// The releases that were ever put in force: activated by an approver, or the repository's release the service
/// started on (deployed code, reviewed before it was built). One rolled back since is still approved code. A release
/// merely published — refused, or valid and waiting for an approver — is not among them, whatever its pack.yaml says.
/// </summary>
public sealed class ApprovedReleases(Database database)
{
    public bool IsApproved(string releaseSha256)
    {
        using var connection = database.Open();
        return connection.ExecuteScalar<long>("SELECT COUNT(*) FROM activations WHERE release_sha256 = @releaseSha256",
            new { releaseSha256 }) > 0;
    }

    /// <summary>The SHA-256s of the packs of approved releases, oldest activation first.</summary>
    public IReadOnlyList<string> PackSha256s()
    {
        using var connection = database.Open();
        return connection.Query<string>("""
            SELECT r.pack_sha256 FROM activations a JOIN rule_releases r ON r.sha256 = a.release_sha256
            GROUP BY r.pack_sha256 ORDER BY MIN(a.id)
            """).ToArray();
    }
}
