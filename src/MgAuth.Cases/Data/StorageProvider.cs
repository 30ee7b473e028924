namespace MgAuth.Cases.Data;

/// <summary>Where the cases are kept: one SQLite file (one process), or PostgreSQL (several replicas).</summary>
public enum StorageProvider
{
    Sqlite,
    Postgres,
}

public static class StorageProviders
{
    /// <summary>Reads <c>Storage:Provider</c>: absent or <c>sqlite</c> is SQLite, <c>postgres</c> (or <c>postgresql</c>) is PostgreSQL.</summary>
    public static StorageProvider Parse(string? name) => name?.Trim().ToLowerInvariant() switch
    {
        null or "" or "sqlite" => StorageProvider.Sqlite,
        "postgres" or "postgresql" or "npgsql" => StorageProvider.Postgres,
        _ => throw new ArgumentException($"Storage:Provider must be sqlite or postgres, not '{name}'"),
    };
}
