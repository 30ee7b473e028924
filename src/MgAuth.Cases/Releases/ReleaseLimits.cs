namespace MgAuth.Cases.Releases;

/// <summary>
/// How much a person may upload (<c>Releases:*</c>): one release at most <see cref="MaxUploadBytes"/> (refused before it
/// is read whole), and at most <see cref="StoragePerPersonPerDayMegabytes"/> of releases a UTC day, counting refused ones,
/// whose content is not kept but which took the worker's time.
/// </summary>
public sealed record ReleaseLimits
{
    public int MaxUploadBytes { get; init; } = 4 * 1024 * 1024;

    public double StoragePerPersonPerDayMegabytes { get; init; } = 64;

    public long StoragePerPersonPerDayBytes => (long)Math.Round(StoragePerPersonPerDayMegabytes * 1024 * 1024);
}
