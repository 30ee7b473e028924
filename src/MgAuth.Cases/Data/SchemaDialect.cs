namespace MgAuth.Cases.Data;

/// <summary>
/// Where the schema's SQL differs between the providers, and only that: integer and identity columns, how a table is
/// made append-only, and the version numbers PostgreSQL gave the steps. Times are ISO 8601 text on both, so the stores'
/// SQL and comparisons are the same everywhere.
/// </summary>
internal abstract class SchemaDialect
{
    public static SchemaDialect Of(StorageProvider provider) => provider == StorageProvider.Postgres ? new Postgres() : new Sqlite();

    /// <summary>An integer column (PostgreSQL: BIGINT, which Dapper maps to the records' longs as they are).</summary>
    public abstract string Integer { get; }

    /// <summary>A primary key numbered by the database.</summary>
    public abstract string Identity { get; }

    /// <summary>What the first step needs before anything else.</summary>
    public abstract string Prelude { get; }

    /// <summary>Triggers by which the database itself refuses to rewrite or remove the rows of <paramref name="table"/>.</summary>
    public abstract string AppendOnly(string table, string refusal);

    /// <summary>The version a step is recorded under in schema_version.</summary>
    public abstract int VersionOf(int step);

    private sealed class Sqlite : SchemaDialect
    {
        public override string Integer => "INTEGER";

        public override string Identity => "INTEGER PRIMARY KEY AUTOINCREMENT";

        public override string Prelude => "";

        public override string AppendOnly(string table, string refusal) => $"""
            CREATE TRIGGER {table}_append_only_update BEFORE UPDATE ON {table} BEGIN SELECT RAISE(ABORT, '{refusal}'); END;
            CREATE TRIGGER {table}_append_only_delete BEFORE DELETE ON {table} BEGIN SELECT RAISE(ABORT, '{refusal}'); END;
            """;

        public override int VersionOf(int step) => step;
    }

    private sealed class Postgres : SchemaDialect
    {
        public override string Integer => "BIGINT";

        public override string Identity => "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY";

        // One trigger function for every append-only table; TRUNCATE is refused too.
        public override string Prelude => """
            CREATE FUNCTION refuse_rewrite() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
            END $$;
            """;

        public override string AppendOnly(string table, string refusal) => $"""
            CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} FOR EACH ROW EXECUTE FUNCTION refuse_rewrite();
            CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} FOR EACH STATEMENT EXECUTE FUNCTION refuse_rewrite();
            """;

        // PostgreSQL support came with the SQLite schema at its step 5: its version 1 is steps 1 to 5, run as one.
        public override int VersionOf(int step) => Math.Max(1, step - 4);
    }
}
