namespace MgAuth.Cases.Subscriptions;

/// <summary>A PAS subscription: an organization's rest-hook endpoint, the headers to send, and how many events it was told of.</summary>
public sealed class SubscriptionRow
{
    public required string Id { get; init; }
    public required string OrganizationId { get; init; }
    public required string CreatedBy { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>requested (until the handshake is answered), active, error (a delivery gave up), off (ended).</summary>
    public required string Status { get; init; }

    public string? Reason { get; init; }
    public required string Endpoint { get; init; }

    /// <summary>The "Name: value" header lines, as JSON; sent with every notification, never shown.</summary>
    public required string HeadersJson { get; init; }

    public DateTimeOffset? EndAt { get; init; }
    public long EventCount { get; init; }
}

/// <summary>A notification waiting in the outbox, or delivered, or given up.</summary>
public sealed class NotificationRow
{
    public long Id { get; init; }
    public required string SubscriptionId { get; init; }

    /// <summary>handshake or event-notification.</summary>
    public required string Kind { get; init; }

    public string? AuthorizationId { get; init; }
    public long EventNumber { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>pending, delivered or failed.</summary>
    public required string Status { get; init; }

    public long Attempts { get; init; }
    public DateTimeOffset? DeliveredAt { get; init; }
}

/// <summary>One attempt to deliver a notification: the endpoint's HTTP status, or why no answer came.</summary>
public sealed class DeliveryRow
{
    public long NotificationId { get; init; }
    public long Attempt { get; init; }
    public required DateTimeOffset At { get; init; }
    public long? HttpStatus { get; init; }
    public string? Error { get; init; }
    public long ElapsedMs { get; init; }
}

/// <summary>What became of one delivery attempt.</summary>
public sealed record DeliveryResult(int? HttpStatus, string? Error, long ElapsedMs)
{
    public bool Delivered => HttpStatus is >= 200 and < 300;
}
