using System.Security.Cryptography;

namespace MgAuth.Cases.Security;

/// <summary>
/// What an API key looks like. A key issued now is <c>mga_&lt;key id&gt;_&lt;secret&gt;</c>: the key id (the api_keys row id,
/// <c>key_</c> and 12 hex digits) lets authentication tell a key it knows, with a wrong secret, from a made-up one without
/// asking the database; the secret is 32 random bytes in base64url. Only the SHA-256 of the whole key is stored. Keys
/// issued before carry no id (<c>mga_</c> and the secret) and are recognised by their hash alone.
/// </summary>
public static class ApiKeyFormat
{
    public const string Prefix = "mga_";
    private const string IdPrefix = "key_";
    private const int IdHexDigits = 12;
    private const int SecretBytes = 32;
    private const int SecretChars = 43; // 32 bytes in base64url, unpadded

    private static readonly int IdLength = IdPrefix.Length + IdHexDigits;
    private static readonly int KeyLength = Prefix.Length + IdLength + 1 + SecretChars;

    /// <summary>A new key id: <c>key_</c> and 12 random hex digits.</summary>
    public static string NewId() => IdPrefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(IdHexDigits / 2));

    /// <summary>A new key for the key id: <c>mga_&lt;id&gt;_&lt;secret&gt;</c>.</summary>
    public static string NewKey(string id) =>
        $"{Prefix}{id}_{Convert.ToBase64String(RandomNumberGenerator.GetBytes(SecretBytes)).TrimEnd('=').Replace('+', '-').Replace('/', '_')}";

    /// <summary>The key id a presented key names; null for a key issued before ids were carried, or anything that is not a key.</summary>
    public static string? IdOf(string presented)
    {
        // A key without an id is 47 characters, so it is never read as one with an id.
        if (presented.Length != KeyLength || !presented.StartsWith(Prefix + IdPrefix, StringComparison.Ordinal)) return null;
        var id = presented.AsSpan(Prefix.Length, IdLength);
        if (presented[Prefix.Length + IdLength] != '_') return null;
        foreach (var c in id[IdPrefix.Length..])
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c)) return null;
        foreach (var c in presented.AsSpan(KeyLength - SecretChars))
            if (!char.IsAsciiLetterOrDigit(c) && c is not '-' and not '_') return null;
        return id.ToString();
    }
}
