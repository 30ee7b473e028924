using MgAuth.Domain.Decisions;
using MgAuth.Domain.Requests;

namespace MgAuth.Cases.Data;

/// <summary>
/// The schema of both providers, written once: one step per version, in SQL both speak, with what differs between them
/// taken from <see cref="SchemaDialect"/> (integer and identity columns, append-only triggers). A step is never edited
/// once shipped, only followed by another. The runner is <see cref="Database.Migrate"/> (not DbUp): databases in use
/// already record their steps in schema_version.
/// </summary>
internal static class Migrations
{
    /// <summary>The steps as <paramref name="provider"/> numbers and runs them.</summary>
    public static IReadOnlyList<(int Version, string Sql)> For(StorageProvider provider)
    {
        var dialect = SchemaDialect.Of(provider);
        return Steps.GroupBy(step => dialect.VersionOf(step.Version))
            .Select(group => (group.Key, string.Join(Environment.NewLine, group.Select(step => step.Sql(dialect)))))
            .ToArray();
    }

    // A status as the rows keep it: its contract name, from the one mapping (StoredNames), as an SQL literal.
    private static string Stored(CaseStatus status) => $"'{ContractNames.Of(status)}'";

    private static IReadOnlyList<(int Version, Func<SchemaDialect, string> Sql)> Steps { get; } =
    [
        (1, d => $"""
            {d.Prelude}
            CREATE TABLE organizations (
                id TEXT NOT NULL PRIMARY KEY,
                name TEXT NOT NULL,
                created_at TEXT NOT NULL);

            CREATE TABLE api_keys (
                id TEXT NOT NULL PRIMARY KEY,
                organization_id TEXT NOT NULL REFERENCES organizations(id),
                role TEXT NOT NULL,
                name TEXT NOT NULL,
                npi TEXT,
                key_hash TEXT NOT NULL UNIQUE,
                created_at TEXT NOT NULL,
                revoked_at TEXT);

            CREATE TABLE authorizations (
                id TEXT NOT NULL PRIMARY KEY,
                organization_id TEXT NOT NULL REFERENCES organizations(id),
                member_id TEXT NOT NULL,
                indication TEXT NOT NULL,
                urgency TEXT NOT NULL,
                status TEXT NOT NULL,
                decision TEXT NOT NULL,
                revision {d.Integer} NOT NULL,
                version {d.Integer} NOT NULL,
                received_at TEXT NOT NULL,
                due_by TEXT NOT NULL,
                decided_at TEXT,
                valid_from TEXT,
                valid_through TEXT,
                idempotency_key TEXT,
                request_sha256 TEXT NOT NULL,
                CONSTRAINT authorizations_idempotency_key UNIQUE (organization_id, idempotency_key));
            CREATE INDEX authorizations_member ON authorizations (member_id, status);
            CREATE INDEX authorizations_org ON authorizations (organization_id, received_at);
            CREATE INDEX authorizations_received ON authorizations (received_at);

            CREATE TABLE revisions (
                authorization_id TEXT NOT NULL REFERENCES authorizations(id),
                revision {d.Integer} NOT NULL,
                request_json TEXT NOT NULL,
                decision_json TEXT NOT NULL,
                history_json TEXT NOT NULL,
                pack_sha256 TEXT NOT NULL,
                pack_version TEXT NOT NULL,
                policy_id TEXT NOT NULL,
                policy_version TEXT NOT NULL,
                policy_sha256 TEXT NOT NULL,
                as_of TEXT NOT NULL,
                engine_version TEXT NOT NULL,
                decided_at TEXT NOT NULL,
                PRIMARY KEY (authorization_id, revision));

            CREATE TABLE events (
                id {d.Identity},
                authorization_id TEXT NOT NULL REFERENCES authorizations(id),
                at TEXT NOT NULL,
                actor TEXT NOT NULL,
                actor_role TEXT NOT NULL,
                kind TEXT NOT NULL,
                from_status TEXT,
                to_status TEXT,
                detail TEXT);
            CREATE INDEX events_authorization ON events (authorization_id, id);

            CREATE TABLE rule_pack_versions (
                sha256 TEXT NOT NULL PRIMARY KEY,
                pack_id TEXT NOT NULL,
                version TEXT NOT NULL,
                files_json TEXT NOT NULL,
                published_by TEXT NOT NULL,
                published_at TEXT NOT NULL,
                note TEXT NOT NULL);

            CREATE TABLE policy_versions (
                sha256 TEXT NOT NULL PRIMARY KEY,
                policy_id TEXT NOT NULL,
                version TEXT NOT NULL,
                source TEXT NOT NULL,
                published_by TEXT NOT NULL,
                published_at TEXT NOT NULL);
            """),
        (2, d => $"""
            CREATE TABLE rule_releases (
                sha256 TEXT NOT NULL PRIMARY KEY,
                pack_sha256 TEXT NOT NULL REFERENCES rule_pack_versions(sha256),
                pack_id TEXT NOT NULL,
                pack_version TEXT NOT NULL,
                policies_json TEXT NOT NULL,
                published_by TEXT NOT NULL,
                published_at TEXT NOT NULL,
                note TEXT NOT NULL,
                valid {d.Integer} NOT NULL,
                problems_json TEXT NOT NULL,
                cases_passed {d.Integer} NOT NULL,
                cases_failed {d.Integer} NOT NULL);

            CREATE TABLE activations (
                id {d.Identity},
                release_sha256 TEXT NOT NULL REFERENCES rule_releases(sha256),
                kind TEXT NOT NULL,
                activated_by TEXT NOT NULL,
                activated_at TEXT NOT NULL,
                effective_from TEXT NOT NULL,
                note TEXT NOT NULL);
            """),
        (3, d => $"""
            -- Review: who holds a case, what people determined, appeals and requests for information.
            ALTER TABLE authorizations ADD COLUMN appeal_of TEXT REFERENCES authorizations(id);
            ALTER TABLE authorizations ADD COLUMN information_requested_at TEXT;
            CREATE INDEX authorizations_queue ON authorizations (status, due_by);
            CREATE INDEX authorizations_appeal_of ON authorizations (appeal_of);

            CREATE TABLE claims (
                authorization_id TEXT NOT NULL PRIMARY KEY REFERENCES authorizations(id),
                claimed_by TEXT NOT NULL,
                claimed_role TEXT NOT NULL,
                claimed_at TEXT NOT NULL,
                expires_at TEXT NOT NULL);

            CREATE TABLE determinations (
                id {d.Identity},
                authorization_id TEXT NOT NULL REFERENCES authorizations(id),
                revision {d.Integer} NOT NULL,
                action TEXT NOT NULL,
                from_status TEXT NOT NULL,
                to_status TEXT NOT NULL,
                determination_json TEXT NOT NULL,
                authorized_json TEXT,
                reviewer_key_id TEXT NOT NULL,
                reviewer_role TEXT NOT NULL,
                reviewer_npi TEXT,
                determined_at TEXT NOT NULL);
            CREATE INDEX determinations_authorization ON determinations (authorization_id, id);

            -- The audit trail and the determinations are append-only: the database itself refuses to rewrite them.
            {d.AppendOnly("events", "events are append-only")}
            {d.AppendOnly("determinations", "determinations are append-only")}
            """),
        (4, d => $"""
            -- What people did that is not about one case: releases published, activated, rolled back, impact runs.
            CREATE TABLE audit_log (
                id {d.Identity},
                at TEXT NOT NULL,
                actor TEXT NOT NULL,
                actor_role TEXT NOT NULL,
                organization_id TEXT,
                action TEXT NOT NULL,
                subject TEXT,
                detail TEXT);
            CREATE INDEX audit_log_action ON audit_log (action, id);
            {d.AppendOnly("audit_log", "the audit log is append-only")}

            -- Four eyes: who published a release, as a person (an NPI or a name), not only as a key.
            ALTER TABLE rule_releases ADD COLUMN publisher_person TEXT;
            """),
        (5, d => $"""
            -- Decisions made without storing (POST /v1/evaluate): who asked, for which organization, when, and what was
            -- answered. No member data: not the member, not the request, not a hash of it.
            CREATE TABLE evaluations (
                id {d.Identity},
                at TEXT NOT NULL,
                actor TEXT NOT NULL,
                actor_role TEXT NOT NULL,
                organization_id TEXT NOT NULL,
                status {d.Integer} NOT NULL,
                outcome TEXT NOT NULL,
                policy_id TEXT,
                policy_version TEXT,
                pack_sha256 TEXT);
            CREATE INDEX evaluations_organization ON evaluations (organization_id, at);
            {d.AppendOnly("evaluations", "evaluations are append-only")}
            """),
        (6, d => $"""
            -- The service processes on this database and the release each serves (see ReplicaRegistry): an activation
            -- answers when every live replica serves it.
            CREATE TABLE replicas (
                id TEXT NOT NULL PRIMARY KEY,
                host TEXT NOT NULL,
                started_at TEXT NOT NULL,
                seen_at TEXT NOT NULL,
                serving_release TEXT NOT NULL,
                pending_release TEXT);
            """),
        (7, d => $"""
            -- "Approved after review" (the CMS figures), recorded when a pended case is approved; earlier cases from their events.
            ALTER TABLE authorizations ADD COLUMN approved_after_review {d.Integer} NOT NULL DEFAULT 0;
            UPDATE authorizations SET approved_after_review = 1
            WHERE status = {Stored(CaseStatus.Approved)} AND EXISTS (
                SELECT 1 FROM events e WHERE e.authorization_id = authorizations.id
                    AND e.from_status = {Stored(CaseStatus.Pended)} AND e.to_status = {Stored(CaseStatus.Approved)});
            """),
        (8, d => $"""
            -- PAS request Bundles received by Claim/$submit, so Claim/$inquire answers about the Claim the EHR sent (found
            -- by the case id or by the Claim's identifier). service 'ivig': the case is authorizations(id), stored in the
            -- same transaction; 'other': a service no policy decides, pended for manual review, and this row is the case.
            CREATE TABLE pas_requests (
                id TEXT NOT NULL PRIMARY KEY,
                organization_id TEXT NOT NULL REFERENCES organizations(id),
                service TEXT NOT NULL,
                claim_identifier_system TEXT,
                claim_identifier_value TEXT,
                received_at TEXT NOT NULL,
                bundle_json TEXT NOT NULL);
            CREATE INDEX pas_requests_claim ON pas_requests (organization_id, claim_identifier_value);
            """),
        (9, d => $"""
            -- PAS subscriptions (R5 backport): an organization's rest-hook endpoint, told when a pended case's result
            -- changes. notifications is the outbox, written in the transaction of the event that causes it; deliveries
            -- records every attempt (append-only).
            CREATE TABLE subscriptions (
                id TEXT NOT NULL PRIMARY KEY,
                organization_id TEXT NOT NULL REFERENCES organizations(id),
                created_by TEXT NOT NULL,
                created_at TEXT NOT NULL,
                status TEXT NOT NULL,
                reason TEXT,
                endpoint TEXT NOT NULL,
                headers_json TEXT NOT NULL,
                end_at TEXT,
                event_count {d.Integer} NOT NULL DEFAULT 0);
            CREATE INDEX subscriptions_organization ON subscriptions (organization_id, status);
            CREATE TABLE notifications (
                id {d.Identity},
                subscription_id TEXT NOT NULL REFERENCES subscriptions(id),
                kind TEXT NOT NULL,
                authorization_id TEXT REFERENCES authorizations(id),
                event_number {d.Integer} NOT NULL,
                created_at TEXT NOT NULL,
                status TEXT NOT NULL,
                attempts {d.Integer} NOT NULL DEFAULT 0,
                next_attempt_at TEXT NOT NULL,
                lease_until TEXT,
                delivered_at TEXT);
            CREATE INDEX notifications_due ON notifications (status, next_attempt_at);
            CREATE INDEX notifications_subscription ON notifications (subscription_id, id);
            CREATE TABLE deliveries (
                id {d.Identity},
                notification_id {d.Integer} NOT NULL REFERENCES notifications(id),
                attempt {d.Integer} NOT NULL,
                at TEXT NOT NULL,
                http_status {d.Integer},
                error TEXT,
                elapsed_ms {d.Integer} NOT NULL);
            CREATE INDEX deliveries_notification ON deliveries (notification_id, attempt);
            {d.AppendOnly("deliveries", "deliveries are append-only")}
            """),
        (10, d => $"""
            -- An EHR retrying a PAS request for another service (Idempotency-Key) gets the first answer, not a second case.
            ALTER TABLE pas_requests ADD COLUMN idempotency_key TEXT;
            ALTER TABLE pas_requests ADD COLUMN request_sha256 TEXT;
            CREATE UNIQUE INDEX pas_requests_idempotency_key ON pas_requests (organization_id, idempotency_key);
            """),
        (11, d => $"""
            -- Impact runs each person started on each UTC day, counted in one upsert so two at once cannot both pass the limit.
            CREATE TABLE impact_runs_per_day (
                person TEXT NOT NULL,
                day TEXT NOT NULL,
                runs {d.Integer} NOT NULL,
                PRIMARY KEY (person, day));
            """),
        (12, d => $"""
            -- Four eyes by person: a policy_author or policy_approver key names the person behind it (keys issued before
            -- name none and may not publish or activate until re-issued with --person).
            ALTER TABLE api_keys ADD COLUMN person_id TEXT;
            -- Uploads under pressure: each release's size counts against its publisher's daily quota.
            ALTER TABLE rule_releases ADD COLUMN size_bytes {d.Integer};
            CREATE INDEX rule_releases_published_at ON rule_releases (published_at);
            -- A refused upload is kept as its hash, size, who and why, never its content (rows refused before this
            -- step stay in rule_releases as they were).
            CREATE TABLE refused_uploads (
                sha256 TEXT NOT NULL PRIMARY KEY,
                pack_sha256 TEXT NOT NULL,
                pack_id TEXT NOT NULL,
                pack_version TEXT NOT NULL,
                size_bytes {d.Integer} NOT NULL,
                published_by TEXT NOT NULL,
                publisher_person TEXT,
                published_at TEXT NOT NULL,
                note TEXT NOT NULL,
                problems_json TEXT NOT NULL,
                cases_passed {d.Integer} NOT NULL,
                cases_failed {d.Integer} NOT NULL);
            CREATE INDEX refused_uploads_published_at ON refused_uploads (published_at);
            """),
        (13, d => $"""
            -- Signed JWTs from outside (CDS Hooks calls, SMART client assertions): each JWT id an issuer used, kept until its
            -- token can no longer be accepted, so a replayed token is refused by whichever replica sees it (the unique insert
            -- is the first use).
            CREATE TABLE used_token_ids (
                issuer TEXT NOT NULL,
                jti TEXT NOT NULL,
                keep_until TEXT NOT NULL,
                PRIMARY KEY (issuer, jti));
            CREATE INDEX used_token_ids_keep_until ON used_token_ids (keep_until);
            """),
        (14, d => $"""
            -- SMART Backend Services: each client system of an organization, its public keys (JWKS) and the system scopes
            -- it may be granted; revoked, it gets no more tokens. Each client assertion's jti is kept in used_token_ids
            -- (step 13, the client id as issuer) until it expires, so an assertion is used once.
            CREATE TABLE smart_clients (
                id TEXT NOT NULL PRIMARY KEY,
                organization_id TEXT NOT NULL REFERENCES organizations(id),
                name TEXT NOT NULL,
                npi TEXT,
                jwks_json TEXT NOT NULL,
                scopes TEXT NOT NULL,
                created_at TEXT NOT NULL,
                revoked_at TEXT);
            CREATE INDEX smart_clients_organization ON smart_clients (organization_id);
            """),
        (15, d => $"""
            -- People as themselves (issue 20): every row where a person acts records the person, an issuer and a subject
            -- there, with the name shown. Rows written before keep their key id and read as the key's person (its id as the
            -- subject, its name if the key is known). A key may name a person at the identity provider (person_issuer).
            ALTER TABLE api_keys ADD COLUMN person_issuer TEXT;
            ALTER TABLE events ADD COLUMN actor_issuer TEXT;
            ALTER TABLE events ADD COLUMN actor_subject TEXT;
            ALTER TABLE events ADD COLUMN actor_name TEXT;
            ALTER TABLE determinations ADD COLUMN reviewer_issuer TEXT;
            ALTER TABLE determinations ADD COLUMN reviewer_subject TEXT;
            ALTER TABLE determinations ADD COLUMN reviewer_name TEXT;
            ALTER TABLE claims ADD COLUMN claimed_issuer TEXT;
            ALTER TABLE claims ADD COLUMN claimed_subject TEXT;
            ALTER TABLE claims ADD COLUMN claimed_name TEXT;
            ALTER TABLE audit_log ADD COLUMN actor_issuer TEXT;
            ALTER TABLE audit_log ADD COLUMN actor_subject TEXT;
            ALTER TABLE audit_log ADD COLUMN actor_name TEXT;
            ALTER TABLE evaluations ADD COLUMN actor_issuer TEXT;
            ALTER TABLE evaluations ADD COLUMN actor_subject TEXT;
            ALTER TABLE evaluations ADD COLUMN actor_name TEXT;
            ALTER TABLE rule_releases ADD COLUMN publisher_issuer TEXT;
            ALTER TABLE rule_releases ADD COLUMN publisher_name TEXT;
            ALTER TABLE refused_uploads ADD COLUMN publisher_issuer TEXT;
            ALTER TABLE refused_uploads ADD COLUMN publisher_name TEXT;
            ALTER TABLE activations ADD COLUMN activated_issuer TEXT;
            ALTER TABLE activations ADD COLUMN activated_subject TEXT;
            ALTER TABLE activations ADD COLUMN activated_name TEXT;
            """),
        (16, d => $"""
            -- An organization's external identifiers (issue 21): its NPIs and TINs, by which an EHR names it (the PAS
            -- subscription filter org-identifier=). An identifier belongs to one organization only.
            CREATE TABLE organization_identifiers (
                organization_id TEXT NOT NULL REFERENCES organizations(id),
                system TEXT NOT NULL,
                value TEXT NOT NULL,
                created_at TEXT NOT NULL,
                PRIMARY KEY (system, value));
            CREATE INDEX organization_identifiers_organization ON organization_identifiers (organization_id);
            """),
    ];
}
