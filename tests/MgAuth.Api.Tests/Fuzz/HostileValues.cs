using System.Text;

namespace MgAuth.Api.Tests.Fuzz;

/// <summary>
/// The values a mutation puts in a request. Those that <see cref="JsonNode"/> cannot hold (numbers beyond double,
/// escaped or encoded lone surrogates, invalid UTF-8, broken documents) are raw bytes spliced into the serialized text.
/// </summary>
public static class HostileValues
{
    public static JsonNode?[] WrongTypes(JsonNode? original) =>
    [
        "x", 0, 1, true, false, new JsonArray(), new JsonObject(), "78", "true", "",
        original?.ToJsonString(), new JsonArray(original?.DeepClone()), new JsonObject { ["value"] = original?.DeepClone() },
    ];

    /// <summary>Beyond int, long, decimal and double; tiny; exponent forms.</summary>
    public static readonly string[] HugeNumbers =
    [
        "1e308", "-1e308", "1e400", "-1e400", "79228162514264337593543950336", "79228162514264337593543950335",
        "9223372036854775808", "2147483648", "4294967296", "1" + new string('0', 400), "0." + new string('0', 400) + "1",
        "5e-324", "1E+2", "123456789.123456789123456789", "-0", "0e0", "1.0e1", "1e-400", "2.0000000000000000000000000001",
        "340282366920938463463374607431768211456",
    ];

    public static readonly string[] NegativeNumbers =
        ["-1", "-0.5", "-2147483648", "-2147483649", "-9223372036854775809", "-1e28", "-79228162514264337593543950336", "-400"];

    /// <summary>Numbers at and just past the contract's bounds.</summary>
    public static readonly JsonNode[] EdgeNumbers =
    [
        0, 1, 2, 7, 14, 15, 24, 25, 39, 40, 52, 53, 100, 180, 181, 200, 250, 251, 400, 401, 500, 600, 601,
        0.0001m, 1.5m, 2.0m, 499.9999999999999m, 500.0000000000001m, 1.9999999999999999999999999999m,
    ];

    /// <summary>Dates at the ends of the calendar, on leap days, and near-miss formats.</summary>
    public static readonly JsonNode[] EdgeDates =
    [
        "0001-01-01", "0001-01-02", "9999-12-31", "9999-12-30", "9999-01-01", "0000-01-01", "2024-02-29", "2026-02-29",
        "2026-13-01", "2026-00-10", "1900-01-01", "2100-01-01", "2026-1-01", "2026-12-01T00:00:00Z", "２０２６-01-01",
        " 2026-12-01", "2026/12/01", "1850-06-15", "2199-12-31",
    ];

    /// <summary>Near misses for names, codes and enumerations.</summary>
    public static readonly JsonNode[] EdgeStrings =
        ["", " ", "Male", "STANDARD", "G70", "g70.01", "G70.0", "1234567890", "123456789", "12345678901", "I", "V", "VI", "null", "0"];

    /// <summary>Strings that are fine UTF-16 (stored as given when the field takes free text).</summary>
    public static readonly string[] UnicodeStrings =
    [
        "Ünïcödé", "名前", "😀", "\u200B", "\u202Eevil", "e\u0301", "\uFEFF", "\u0000", "\t\n", "\\", "\"",
        "'; DROP TABLE authorizations; --", "<script>alert(1)</script>", "%s%n", "\u0085\u2028\u2029", "𝕄𝔾",
    ];

    /// <summary>Whole JSON strings as bytes: escaped lone surrogates, control escapes, invalid and overlong UTF-8.</summary>
    public static readonly byte[][] RawStrings =
    [
        Ascii("\"\\ud800\""), Ascii("\"\\udc00\""), Ascii("\"a\\ud800b\""), Ascii("\"\\udbff\\udbff\""), Ascii("\"\\ud83d\\ude00\""),
        Ascii("\"\\u0000\""), Ascii("\"\\u00e9\""), Ascii("\"\\uD800\\u0041\""), Ascii("\"\\x41\""), Ascii("\"\\u12\""),
        [(byte)'"', 0xED, 0xA0, 0x80, (byte)'"'],       // a surrogate encoded as UTF-8 (invalid)
        [(byte)'"', 0xFF, 0xFE, (byte)'"'],
        [(byte)'"', 0xC0, 0xAF, (byte)'"'],             // overlong '/'
        [(byte)'"', 0xE2, 0x82, (byte)'"'],             // truncated sequence
        [(byte)'"', 0xF4, 0x90, 0x80, 0x80, (byte)'"'], // beyond U+10FFFF
        [(byte)'"', 0x01, 0x1F, (byte)'"'],             // raw control characters
    ];

    /// <summary>Property names the contract does not have, some of them close to one it has.</summary>
    public static readonly string[] ExtraNames =
        ["extra", "Id", "ID", "id ", "", "__proto__", "$type", "$ref", "ünknown", "constructor", "member", "policyId", "\u0000", "😀"];

    /// <summary>Bodies that replace the whole document (<c>{body}</c> is the request as mutated so far).</summary>
    public static readonly string[] Bodies =
    [
        "", " ", "[]", "null", "\"text\"", "42", "{}", "[{}]", "{\"a\":1}{}", "{} {}", "{,}", "{'a':1}", "/*c*/{}",
        "{\"member\":1,}", "\uFEFF{body}", "\uFEFF\uFEFF{body}", "{body}garbage", "{body}{body}", "[{body}]", "{body}\n\n",
        "{\"urgency\":\"standard\"", "\t{body}\r\n",
    ];

    public static readonly int[] LongStringLengths = [256, 1000, 4096, 10_000, 20_000];

    public static readonly string[] LongStringUnits = ["A", "é", "😀", "\u0000", "\\"];

    public static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);
}
