using MgAuth.Domain.Requests;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MgAuth.Api.Infrastructure;

public sealed class RequestLimits
{
    /// <summary>Bodies larger than this are refused with 413 before they are read.</summary>
    public int MaxRequestBytes { get; set; } = 64 * 1024;
}

/// <summary>Reads a JSON body as bytes (the request is validated and stored exactly as sent).</summary>
public static class RequestBody
{
    public static async Task<(byte[]? Body, JsonHttpResult<ProblemDocument>? Problem)> ReadJsonAsync(HttpRequest request, int maxBytes)
    {
        if (request.ContentType is not { } type || !type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
            return (null, Problems.Of(StatusCodes.Status415UnsupportedMediaType, "unsupported-media-type", "The body must be JSON",
                $"Send Content-Type: application/json (got '{request.ContentType ?? "none"}')."));
        if (request.ContentLength > maxBytes)
            return (null, TooLarge(maxBytes));

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
        {
            if (buffer.Length + read > maxBytes) return (null, TooLarge(maxBytes));
            buffer.Write(chunk, 0, read);
        }
        return (buffer.ToArray(), null);
    }

    private static JsonHttpResult<ProblemDocument> TooLarge(int maxBytes) =>
        Problems.Of(StatusCodes.Status413PayloadTooLarge, "too-large", "The request is too large",
            $"A request may be at most {maxBytes} bytes.");
}
