using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace MgAuth.Domain.Requests.Validation;

/// <summary>Strict <c>YYYY-MM-DD</c> dates, parsed from the JSON bytes without allocating.</summary>
internal static class IsoDate
{
    public enum Outcome { Parsed, NotIsoFormat, NotACalendarDate }

    public static Outcome TryParse(JsonElement value, out DateOnly date)
    {
        ReadOnlySpan<byte> raw = JsonMarshal.GetRawUtf8Value(value); // includes the quotes
        if (raw.IndexOf((byte)'\\') < 0) return TryParse(raw[1..^1], out date);

        // Escaped characters are legal JSON; unescape the rare case through a string.
        string text = value.GetString()!;
        Span<byte> utf8 = stackalloc byte[10];
        date = default;
        return text.Length == 10 && Ascii.FromUtf16(text, utf8, out _) == OperationStatus.Done
            ? TryParse(utf8, out date)
            : Outcome.NotIsoFormat;
    }

    public static Outcome TryParse(ReadOnlySpan<byte> utf8, out DateOnly date)
    {
        date = default;
        if (utf8.Length != 10 || utf8[4] != (byte)'-' || utf8[7] != (byte)'-') return Outcome.NotIsoFormat;
        if (!TryDigits(utf8[..4], out int year) || !TryDigits(utf8[5..7], out int month) || !TryDigits(utf8[8..], out int day))
        {
            return Outcome.NotIsoFormat;
        }
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)) return Outcome.NotACalendarDate;
        date = new DateOnly(year, month, day);
        return Outcome.Parsed;
    }

    private static bool TryDigits(ReadOnlySpan<byte> digits, out int number)
    {
        number = 0;
        foreach (byte b in digits)
        {
            if (!char.IsAsciiDigit((char)b)) return false;
            number = number * 10 + (b - '0');
        }
        return true;
    }
}
