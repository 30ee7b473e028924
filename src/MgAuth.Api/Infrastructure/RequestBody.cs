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

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
        {
            if (buffer.Length + read > maxBytes) return TooLarge(maxBytes);
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
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
