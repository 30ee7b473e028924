using MgAuth.Cases;

namespace MgAuth.Api.Infrastructure;

/// <summary>The Idempotency-Key a submission was sent with (null: none); the idempotency filter has checked it.</summary>
internal sealed record IdempotencyKey(string? Value)
{
    public const int MaxLength = 200;

    public static readonly Refusal TooLong =
        new(RefusalKind.InvalidIdempotencyKey, "The Idempotency-Key is too long", $"Use at most {MaxLength} characters.");

    public static ValueTask<IdempotencyKey> BindAsync(HttpContext http) =>
        ValueTask.FromResult(new IdempotencyKey(http.Request.Headers["Idempotency-Key"].ToString() is { Length: > 0 } key ? key : null));
}

internal static class IdempotencyFilter
{
    /// <summary>The one Idempotency-Key check of the submission routes; <paramref name="refuse"/>: how the route answers a refusal.</summary>
    public static RouteHandlerBuilder WithIdempotencyKey(this RouteHandlerBuilder route, Func<Refusal, object> refuse) =>
        route.AddEndpointFilter(async (context, next) =>
            context.Arguments.OfType<IdempotencyKey>().Single().Value is { Length: > IdempotencyKey.MaxLength } ? refuse(IdempotencyKey.TooLong) : await next(context));
}
