namespace MgAuth.Api.Security;

/// <summary>The <c>Security</c> section: how authentication guards itself against guessing and how long it trusts a key.</summary>
public sealed class SecurityOptions
{
    /// <summary>Requests without a valid key one client address may make per minute before it is answered 429.</summary>
    public int FailedAuthPerMinute { get; set; } = 30;

    /// <summary>How many good keys authentication remembers at most.</summary>
    public int KeyCacheEntries { get; set; } = 10_000;

    /// <summary>How long a good key is remembered: a revoked key stops working within this many seconds.</summary>
    public int KeyCacheSeconds { get; set; } = 10;
}
