namespace MgAuth.Domain.Decisions;

/// <summary>
/// Someone who acts: a subject at an issuer (the plan's identity provider's URL, or <see cref="KeysIssuer"/> for a person
/// an API key names), with the name the console and the records show.
/// </summary>
public sealed record Person(string Issuer, string Subject, string Name)
{
    /// <summary>The issuer of persons API keys name (a key's person id, or the key itself when it names none).</summary>
    public const string KeysIssuer = "urn:mgauth:keys";

    /// <summary>
    /// One person: the same subject at the same issuer, or the same subject where either side is a key's person (a key's
    /// <c>--person</c> stands for the identity provider's subject of that id). Subjects compare without regard to case and
    /// surrounding spaces: a false "same" only refuses (four eyes, appeal independence), a false "different" would let one
    /// person pass for two.
    /// </summary>
    public bool IsSamePersonAs(Person? other) =>
        other is not null
        && string.Equals(Subject.Trim(), other.Subject.Trim(), StringComparison.OrdinalIgnoreCase)
        && (string.Equals(Issuer, other.Issuer, StringComparison.Ordinal) || Issuer == KeysIssuer || other.Issuer == KeysIssuer);

    /// <summary>A row recorded before persons were: its key id as the subject, and the key's name when it is known.</summary>
    public static Person OfKey(string keyId, string? name = null) => new(KeysIssuer, keyId, name ?? keyId);

    /// <summary>The person stored in three columns (issuer, subject, name), or the key's person for a row written before them.</summary>
    public static Person Stored(string? issuer, string? subject, string? name, string keyId, string? keyName = null) =>
        subject is null ? OfKey(keyId, keyName) : new(issuer ?? KeysIssuer, subject, name ?? keyName ?? subject);
}
