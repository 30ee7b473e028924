using Dapper;

namespace MgAuth.Cases.Data;

/// <summary>
/// One POST /v1/evaluate: who asked, for which organization, when, with what answer (the decision, or
/// <c>invalid</c> with the problem's status). Nothing about the member.
/// </summary>
public sealed record EvaluationRecord(DateTimeOffset At, Actor Actor, string OrganizationId, int Status, string Outcome,
    string? PolicyId, string? PolicyVersion, string? PackSha256);

/// <summary>The audit of decisions made without storing them; append-only, like the events of a case.</summary>
public sealed class EvaluationLog(Database database)
{
    public Task RecordAsync(EvaluationRecord record, CancellationToken cancellationToken = default) =>
        database.Writer.WriteAsync((connection, transaction) => connection.ExecuteAsync("""
            INSERT INTO evaluations (at, actor, actor_role, organization_id, status, outcome, policy_id, policy_version, pack_sha256,
                actor_issuer, actor_subject, actor_name)
            VALUES (@At, @actorId, @actorRole, @OrganizationId, @Status, @Outcome, @PolicyId, @PolicyVersion, @PackSha256,
                @issuer, @subject, @name)
            """, new
            {
                record.At, actorId = record.Actor.Id, actorRole = record.Actor.Role, record.OrganizationId, record.Status, record.Outcome,
                record.PolicyId, record.PolicyVersion, record.PackSha256, issuer = record.Actor.Person?.Issuer,
                subject = record.Actor.Person?.Subject, name = record.Actor.Person?.Name,
            }, transaction), cancellationToken);
}
