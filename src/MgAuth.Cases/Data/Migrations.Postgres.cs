namespace MgAuth.Cases.Data;

internal static partial class Migrations
{
    // The SQLite schema as of its step 5, in PostgreSQL's words: BIGINT for every integer (Dapper maps the records'
    // longs as they are), identity columns for AUTOINCREMENT, and one trigger function for the append-only tables.
    // Times stay ISO 8601 text, as on SQLite, so the stores' SQL and comparisons are the same on both.
    private static IReadOnlyList<(int Version, string Sql)> Postgres { get; } =
    [
        (1, """
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
                revision BIGINT NOT NULL,
                version BIGINT NOT NULL,
                received_at TEXT NOT NULL,
                due_by TEXT NOT NULL,
                decided_at TEXT,
                valid_from TEXT,
                valid_through TEXT,
                idempotency_key TEXT,
                request_sha256 TEXT NOT NULL,
                appeal_of TEXT REFERENCES authorizations(id),
                information_requested_at TEXT,
                CONSTRAINT authorizations_idempotency_key UNIQUE (organization_id, idempotency_key));
            CREATE INDEX authorizations_member ON authorizations (member_id, status);
            CREATE INDEX authorizations_org ON authorizations (organization_id, received_at);
            CREATE INDEX authorizations_received ON authorizations (received_at);
            CREATE INDEX authorizations_queue ON authorizations (status, due_by);
            CREATE INDEX authorizations_appeal_of ON authorizations (appeal_of);

            CREATE TABLE revisions (
                authorization_id TEXT NOT NULL REFERENCES authorizations(id),
                revision BIGINT NOT NULL,
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
                id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
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

            CREATE TABLE rule_releases (
                sha256 TEXT NOT NULL PRIMARY KEY,
                pack_sha256 TEXT NOT NULL REFERENCES rule_pack_versions(sha256),
                pack_id TEXT NOT NULL,
                pack_version TEXT NOT NULL,
                policies_json TEXT NOT NULL,
                published_by TEXT NOT NULL,
                published_at TEXT NOT NULL,
                note TEXT NOT NULL,
                valid BIGINT NOT NULL,
                problems_json TEXT NOT NULL,
                cases_passed BIGINT NOT NULL,
                cases_failed BIGINT NOT NULL,
                publisher_person TEXT);

            CREATE TABLE activations (
                id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                release_sha256 TEXT NOT NULL REFERENCES rule_releases(sha256),
                kind TEXT NOT NULL,
                activated_by TEXT NOT NULL,
                activated_at TEXT NOT NULL,
                effective_from TEXT NOT NULL,
                note TEXT NOT NULL);

            CREATE TABLE claims (
                authorization_id TEXT NOT NULL PRIMARY KEY REFERENCES authorizations(id),
                claimed_by TEXT NOT NULL,
                claimed_role TEXT NOT NULL,
                claimed_at TEXT NOT NULL,
                expires_at TEXT NOT NULL);

            CREATE TABLE determinations (
                id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                authorization_id TEXT NOT NULL REFERENCES authorizations(id),
                revision BIGINT NOT NULL,
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

            CREATE TABLE audit_log (
                id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                at TEXT NOT NULL,
                actor TEXT NOT NULL,
                actor_role TEXT NOT NULL,
                organization_id TEXT,
                action TEXT NOT NULL,
                subject TEXT,
                detail TEXT);
            CREATE INDEX audit_log_action ON audit_log (action, id);

            CREATE TABLE evaluations (
                id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                at TEXT NOT NULL,
                actor TEXT NOT NULL,
                actor_role TEXT NOT NULL,
                organization_id TEXT NOT NULL,
                status BIGINT NOT NULL,
                outcome TEXT NOT NULL,
                policy_id TEXT,
                policy_version TEXT,
                pack_sha256 TEXT);
            CREATE INDEX evaluations_organization ON evaluations (organization_id, at);

            -- The audit trail is append-only: the database itself refuses to rewrite or remove it (TRUNCATE too).
            CREATE FUNCTION refuse_rewrite() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
            END $$;
            CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events FOR EACH ROW EXECUTE FUNCTION refuse_rewrite();
            CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events FOR EACH STATEMENT EXECUTE FUNCTION refuse_rewrite();
            CREATE TRIGGER determinations_append_only BEFORE UPDATE OR DELETE ON determinations FOR EACH ROW EXECUTE FUNCTION refuse_rewrite();
            CREATE TRIGGER determinations_no_truncate BEFORE TRUNCATE ON determinations FOR EACH STATEMENT EXECUTE FUNCTION refuse_rewrite();
            CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION refuse_rewrite();
            CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION refuse_rewrite();
            CREATE TRIGGER evaluations_append_only BEFORE UPDATE OR DELETE ON evaluations FOR EACH ROW EXECUTE FUNCTION refuse_rewrite();
            CREATE TRIGGER evaluations_no_truncate BEFORE TRUNCATE ON evaluations FOR EACH STATEMENT EXECUTE FUNCTION refuse_rewrite();
            """),
        (2, """
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
        (3, """
            -- "Approved after review" (the CMS figures), recorded when a pended case is approved; earlier cases from their events.
            ALTER TABLE authorizations ADD COLUMN approved_after_review BIGINT NOT NULL DEFAULT 0;
            UPDATE authorizations SET approved_after_review = 1
            WHERE status = 'approved' AND EXISTS (
                SELECT 1 FROM events e WHERE e.authorization_id = authorizations.id AND e.from_status = 'pended' AND e.to_status = 'approved');
            """),
        (4, """
            -- PAS request Bundles received by Claim/$submit (see the SQLite step 8).
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
        (5, """
            -- PAS subscriptions, their outbox of notifications and the record of every delivery (see the SQLite step 9).
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
                event_count BIGINT NOT NULL DEFAULT 0);
            CREATE INDEX subscriptions_organization ON subscriptions (organization_id, status);
            CREATE TABLE notifications (
                id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                subscription_id TEXT NOT NULL REFERENCES subscriptions(id),
                kind TEXT NOT NULL,
                authorization_id TEXT REFERENCES authorizations(id),
                event_number BIGINT NOT NULL,
                created_at TEXT NOT NULL,
                status TEXT NOT NULL,
                attempts BIGINT NOT NULL DEFAULT 0,
                next_attempt_at TEXT NOT NULL,
                lease_until TEXT,
                delivered_at TEXT);
            CREATE INDEX notifications_due ON notifications (status, next_attempt_at);
            CREATE INDEX notifications_subscription ON notifications (subscription_id, id);
            CREATE TABLE deliveries (
                id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                notification_id BIGINT NOT NULL REFERENCES notifications(id),
                attempt BIGINT NOT NULL,
                at TEXT NOT NULL,
                http_status BIGINT,
                error TEXT,
                elapsed_ms BIGINT NOT NULL);
            CREATE INDEX deliveries_notification ON deliveries (notification_id, attempt);
            CREATE TRIGGER deliveries_append_only BEFORE UPDATE OR DELETE ON deliveries FOR EACH ROW EXECUTE FUNCTION refuse_rewrite();
            CREATE TRIGGER deliveries_no_truncate BEFORE TRUNCATE ON deliveries FOR EACH STATEMENT EXECUTE FUNCTION refuse_rewrite();
            """),
        (6, """
            -- Idempotency-Key for PAS requests for another service (see the SQLite step 10).
            ALTER TABLE pas_requests ADD COLUMN idempotency_key TEXT;
            ALTER TABLE pas_requests ADD COLUMN request_sha256 TEXT;
            CREATE UNIQUE INDEX pas_requests_idempotency_key ON pas_requests (organization_id, idempotency_key);
            """),
        (7, """
            -- Impact runs per person and UTC day (see the SQLite step 11).
            CREATE TABLE impact_runs_per_day (
                person TEXT NOT NULL,
                day TEXT NOT NULL,
                runs BIGINT NOT NULL,
                PRIMARY KEY (person, day));
            """),
        (8, """
            -- Keys name their person; release sizes; refused uploads without their content (see the SQLite step 12).
            ALTER TABLE api_keys ADD COLUMN person_id TEXT;
            ALTER TABLE rule_releases ADD COLUMN size_bytes BIGINT;
            CREATE INDEX rule_releases_published_at ON rule_releases (published_at);
            CREATE TABLE refused_uploads (
                sha256 TEXT NOT NULL PRIMARY KEY,
                pack_sha256 TEXT NOT NULL,
                pack_id TEXT NOT NULL,
                pack_version TEXT NOT NULL,
                size_bytes BIGINT NOT NULL,
                published_by TEXT NOT NULL,
                publisher_person TEXT,
                published_at TEXT NOT NULL,
                note TEXT NOT NULL,
                problems_json TEXT NOT NULL,
                cases_passed BIGINT NOT NULL,
                cases_failed BIGINT NOT NULL);
            CREATE INDEX refused_uploads_published_at ON refused_uploads (published_at);
            """),
    ];
}
