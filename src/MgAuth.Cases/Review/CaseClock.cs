using System.Text.Json.Serialization;

namespace MgAuth.Cases.Review;

[JsonConverter(typeof(JsonStringEnumConverter<DueStanding>))]
public enum DueStanding
{
    [JsonStringEnumMemberName("on_time")] OnTime,
    [JsonStringEnumMemberName("due_soon")] DueSoon,
    [JsonStringEnumMemberName("overdue")] Overdue,
}

/// <summary>
/// How a pended case stands against its due time on the service's clock: <see cref="Now"/>, the seconds left
/// (<see cref="DueInSeconds"/>, negative once overdue) and whether it is overdue or due within <see cref="SoonHours"/>.
/// </summary>
public sealed record CaseClock(DateTimeOffset Now, DateTimeOffset DueBy, long DueInSeconds, bool Overdue, DueStanding Standing)
{
    public const int SoonHours = 24;

    public static CaseClock Of(DateTimeOffset dueBy, DateTimeOffset now)
    {
        var left = dueBy - now;
        var standing = dueBy < now ? DueStanding.Overdue : left < TimeSpan.FromHours(SoonHours) ? DueStanding.DueSoon : DueStanding.OnTime;
        return new CaseClock(now, dueBy, (long)Math.Floor(left.TotalSeconds), dueBy < now, standing);
    }
}
