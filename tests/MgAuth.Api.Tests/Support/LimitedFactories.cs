namespace MgAuth.Api.Tests.Support;

/// <summary>The service refusing bodies over 512 bytes.</summary>
public sealed class SmallBodyFactory : MgAuthFactory
{
    public const int MaxBytes = 512;

    protected override IEnumerable<KeyValuePair<string, string?>> Overrides =>
        [new("Limits:MaxRequestBytes", MaxBytes.ToString(System.Globalization.CultureInfo.InvariantCulture))];
}

/// <summary>The service letting a key make 2 requests at once and 1 a second after that.</summary>
public sealed class RateLimitedFactory : MgAuthFactory
{
    protected override IEnumerable<KeyValuePair<string, string?>> Overrides =>
        [new("RateLimiting:PermitsPerSecond", "1"), new("RateLimiting:Burst", "2")];
}

/// <summary>The service giving up on a locked database after 200 ms.</summary>
public sealed class ShortBusyTimeoutFactory : MgAuthFactory
{
    protected override IEnumerable<KeyValuePair<string, string?>> Overrides => [new("Storage:BusyTimeoutMs", "200")];
}

/// <summary>The service giving a rule-pack worker 20 s (the default is 60 s), so the endless-loop attack ends sooner.</summary>
public sealed class ShortWorkerTimeoutFactory : MgAuthFactory
{
    public const int Seconds = 20;

    protected override IEnumerable<KeyValuePair<string, string?>> Overrides =>
        [new("Worker:TimeoutSeconds", Seconds.ToString(System.Globalization.CultureInfo.InvariantCulture))];
}
