using System.Buffers;
using MgAuth.Cases;
using MgAuth.Domain.Requests;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MgAuth.Api.Infrastructure;

public sealed class RequestLimits
{
    /// <summary>Bodies larger than this are refused with 413 before they are read.</summary>
    public int MaxRequestBytes { get; set; } = 64 * 1024;

    /// <summary>The same for FHIR Bundles, which carry a request with its resources and narrative.</summary>
    public int MaxFhirRequestBytes { get; set; } = 256 * 1024;
}

/// <summary>Why a body was not read.</summary>
public enum BodyRefusal
{
    None,
    UnsupportedMediaType,
    TooLarge,
}

/// <summary>Reads a JSON body as bytes (the request is validated and stored exactly as sent).</summary>
public static class RequestBody
{
    public static async Task<(byte[]? Body, JsonHttpResult<ProblemDocument>? Problem)> ReadJsonAsync(HttpRequest request, int maxBytes)
    {
        var read = await JsonAsync(request, maxBytes);
        return read.IsRefused(out var refusal) ? (null, Problems.For(refusal)) : (read.Value, null);
    }

    /// <summary>
    /// A JSON body, or the refusal of one sent as something else (its Content-Type not one of <paramref name="mediaTypes"/>,
    /// application/json when none is given) or longer than <paramref name="maxBytes"/>.
    /// </summary>
    public static async Task<Refusable<byte[]>> JsonAsync(HttpRequest request, int maxBytes, params string[] mediaTypes)
    {
        if (mediaTypes.Length == 0) mediaTypes = ["application/json"];
        if (request.ContentType is not { } type || !mediaTypes.Any(m => type.StartsWith(m, StringComparison.OrdinalIgnoreCase)))
            return new Refusal(RefusalKind.UnsupportedMediaType, "The body must be JSON",
                $"Send Content-Type: {mediaTypes[0]} (got '{request.ContentType ?? "none"}').");
        if (request.ContentLength > maxBytes) return TooLarge(maxBytes);
        return request.ContentLength is { } length and <= PresizedBytes
            ? await ReadExactlyAsync(request, (int)length)
            : await ReadChunkedAsync(request, maxBytes) is { } body ? body : TooLarge(maxBytes);
    }

    // The largest declared length read into an array of that size before a byte arrives: a request (a few KB) is, but a
    // larger declared length (a pack upload, or a client declaring the limit and sending nothing) grows with what arrives.
    private const int PresizedBytes = 64 * 1024;

    // A declared length (what clients send): the body read straight into an array of its size, nothing copied.
    private static async Task<byte[]> ReadExactlyAsync(HttpRequest request, int length)
    {
        var body = new byte[length];
        var filled = 0;
        int read;
        while (filled < length && (read = await request.Body.ReadAsync(body.AsMemory(filled), request.HttpContext.RequestAborted)) > 0)
            filled += read;
        // Kestrel refuses a body shorter than its Content-Length; a host that does not gets what was sent.
        return filled == length ? body : body[..filled];
    }

    // No length (chunked), or a long one: read through a pooled chunk (a new 16 KB one per request was a tenth of the bytes a request
    // allocated); null when the body runs past maxBytes.
    private static async Task<byte[]?> ReadChunkedAsync(HttpRequest request, int maxBytes)
    {
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            using var buffer = new MemoryStream();
            int read;
            while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
            {
                if (buffer.Length + read > maxBytes) return null;
                buffer.Write(chunk, 0, read);
            }
            return buffer.ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    /// <summary>The body, if its Content-Type is one of <paramref name="mediaTypes"/> and it is at most <paramref name="maxBytes"/> long.</summary>
    public static async Task<(byte[]? Body, BodyRefusal Refusal)> ReadAsync(HttpRequest request, int maxBytes, params string[] mediaTypes)
    {
        var body = await JsonAsync(request, maxBytes, mediaTypes);
        return body.IsRefused(out var refusal) ? (null, Of(refusal)) : (body.Value, BodyRefusal.None);
    }

    /// <summary>What kind of refusal <see cref="JsonAsync"/> answered, for hosts that word their own (FHIR, CDS Hooks).</summary>
    public static BodyRefusal Of(Refusal refusal) =>
        refusal.Kind == RefusalKind.TooLarge ? BodyRefusal.TooLarge : BodyRefusal.UnsupportedMediaType;

    private static Refusal TooLarge(int maxBytes) =>
        new(RefusalKind.TooLarge, "The request is too large", $"A request may be at most {maxBytes} bytes.");
}
