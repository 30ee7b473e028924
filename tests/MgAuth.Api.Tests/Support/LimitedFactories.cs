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

/// <summary>The service opting out of waiting for the disk at every commit (Storage:Durability=normal).</summary>
public sealed class RelaxedDurabilityFactory : MgAuthFactory
{
    protected override IEnumerable<KeyValuePair<string, string?>> Overrides => [new("Storage:Durability", "normal")];
}
