namespace MgAuth.Api.Subscriptions;

/// <summary>How PAS notifications are delivered (<c>Subscriptions:*</c>).</summary>
public sealed class SubscriptionOptions
{
    /// <summary>How often each replica looks for notifications due.</summary>
    public double PollSeconds { get; set; } = 1;

    /// <summary>How long an endpoint has to answer one notification.</summary>
    public double TimeoutSeconds { get; set; } = 10;

    /// <summary>Attempts per notification before it is given up (and the subscription is in error).</summary>
    public int MaxAttempts { get; set; } = 6;

    /// <summary>The wait before the first retry; each later wait is four times the one before (10 s, 40 s, … about 43 min).</summary>
    public double FirstRetrySeconds { get; set; } = 10;

    /// <summary>Subscriptions an organization may hold at once (not counting ended ones).</summary>
    public int MaxPerOrganization { get; set; } = 10;

    /// <summary>
    /// Development and tests only: allow http and endpoints on loopback or private addresses. Off, a subscription
    /// cannot make the service call into the payer's own network.
    /// </summary>
    public bool AllowPrivateEndpoints { get; set; }

    public TimeSpan RetryAfter(long attempts) => TimeSpan.FromSeconds(FirstRetrySeconds * Math.Pow(4, Math.Max(0, attempts - 1)));
}
