using MgAuth.Cases.Data;
using MgAuth.Cases.Security;

namespace MgAuth.Api.Tests.Support;

/// <summary>Keys issued for a test's setup, synchronously (off the test's synchronization context, so waiting cannot deadlock it).</summary>
public static class KeyIssuing
{
    /// <summary>Who issues and revokes the tests' keys, in the audit log.</summary>
    public static AuditActor TestSetup { get; } = new("test-setup", "operator", null);

    public static IssuedKey Create(this ApiKeys keys, string organizationId, string role, string name, string? npi = null, string? personId = null) =>
        Task.Run(() => keys.CreateAsync(TestSetup, organizationId, role, name, npi, personId)).GetAwaiter().GetResult();

    public static bool Revoke(this ApiKeys keys, string id) => Task.Run(() => keys.RevokeAsync(TestSetup, id)).GetAwaiter().GetResult();
}
