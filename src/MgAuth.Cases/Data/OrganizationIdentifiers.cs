using Dapper;

namespace MgAuth.Cases.Data;

/// <summary>One external identifier of an organization: an NPI or a TIN.</summary>
public sealed record OrganizationIdentifier(string System, string Value);

/// <summary>
/// The NPIs and TINs recorded on each organization (set by an operator: <c>mgauth orgs identify</c>), and whether a filter
/// an EHR sends (<c>org-identifier=1234567893</c>, or <c>system|value</c>) names a given organization. An identifier is
/// recorded for one organization only, and each one recorded is an audit entry (who recorded which identifier for whom).
/// </summary>
public sealed class OrganizationIdentifiers(Database database, TimeProvider clock)
{
    public const string NpiSystem = "http://hl7.org/fhir/sid/us-npi";
    public const string TinSystem = "urn:oid:2.16.840.1.113883.4.4";

    /// <summary>
    /// Records <paramref name="value"/> (an NPI or TIN, checked) for the organization; false when another organization
    /// already holds it. The organization is created if it is new, as a key's is; a newly recorded identifier is audited
    /// in the same transaction.
    /// </summary>
    public async Task<bool> AddAsync(AuditActor by, string organizationId, string system, string value, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(organizationId);
        if (Problem(system, value) is { } problem) throw new ArgumentException(problem, nameof(value));
        var at = clock.GetUtcNow();
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync("INSERT INTO organizations (id, name, created_at) VALUES (@organizationId, @organizationId, @at) ON CONFLICT DO NOTHING",
            new { organizationId, at }, transaction);
        var added = await connection.ExecuteAsync("""
            INSERT INTO organization_identifiers (organization_id, system, value, created_at) VALUES (@organizationId, @system, @value, @at)
            ON CONFLICT DO NOTHING
            """, new { organizationId, system, value, at }, transaction);
        if (added == 1)
            await AuditLog.RecordAsync(connection, transaction, by, AuditActions.OrganizationIdentified, organizationId, $"{system}|{value}", at);
        var owner = await connection.ExecuteScalarAsync<string>(
            "SELECT organization_id FROM organization_identifiers WHERE system = @system AND value = @value", new { system, value }, transaction);
        await transaction.CommitAsync(cancellationToken);
        return owner == organizationId;
    }

    /// <summary>The identifiers recorded on the organization.</summary>
    public async Task<IReadOnlyList<OrganizationIdentifier>> OfAsync(string organizationId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return [.. await connection.QueryAsync<OrganizationIdentifier>(
            "SELECT system AS System, value AS Value FROM organization_identifiers WHERE organization_id = @organizationId ORDER BY system, value",
            new { organizationId })];
    }

    /// <summary>
    /// Whether <paramref name="filter"/> names the organization: one of its identifiers (<c>value</c>, or <c>system|value</c>),
    /// or its MgAuth id as before. Another organization's identifier and an unknown one are alike: false.
    /// </summary>
    public async Task<bool> NamesAsync(string organizationId, string filter, CancellationToken cancellationToken = default)
    {
        if (string.Equals(filter, organizationId, StringComparison.Ordinal)) return true;
        var bar = filter.IndexOf('|', StringComparison.Ordinal);
        var (system, value) = bar < 0 ? (null, filter) : (filter[..bar], filter[(bar + 1)..]);
        return (await OfAsync(organizationId, cancellationToken)).Any(i => i.Value == value && (system is null || i.System == system));
    }

    /// <summary>Why a value is not an identifier of that system, or null: an NPI is 10 digits with its check digit, a TIN 9 digits.</summary>
    public static string? Problem(string system, string value) => system switch
    {
        NpiSystem when value.Length != 10 || !value.All(char.IsAsciiDigit) => "an NPI is 10 digits",
        NpiSystem when !NpiCheckDigitHolds(value) => "the NPI's check digit is wrong",
        TinSystem when value.Length != 9 || !value.All(char.IsAsciiDigit) => "a TIN is 9 digits (no dash)",
        NpiSystem or TinSystem => null,
        _ => $"the system must be {NpiSystem} (NPI) or {TinSystem} (TIN)",
    };

    // The Luhn check over the NPI prefixed with 80840 (the card issuer prefix the NPI standard names).
    private static bool NpiCheckDigitHolds(string npi)
    {
        var digits = "80840" + npi;
        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            var d = digits[digits.Length - 1 - i] - '0';
            if (i % 2 == 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
            sum += d;
        }
        return sum % 10 == 0;
    }
}
