using System.Diagnostics;
using MgAuth.Api.Tests.Support;
using MgAuth.Cases.Data;
using MgAuth.Cases.Releases;
using MgAuth.Cases.Security;
using MgAuth.RulePacks.Isolation;
using Microsoft.Extensions.DependencyInjection;

namespace MgAuth.Api.Tests;

/// <summary>
/// The worker under pressure. Once, four publishes of a pack whose case never ends made another author's valid publish
/// wait 117 s (the queue behind the two worker slots was unbounded), five queued 15 MB uploads took the service from
/// 794 MB to 1.5 GB, and every refused upload was stored whole with no quota. Now the queue is bounded (503 with
/// Retry-After when full), a person has one job in it at a time (429 with Retry-After), an upload over the cap is 413
/// before it is read whole, a refused upload is kept as its hash, size, who and why, and a person's uploads a day are
/// capped.
/// </summary>
public sealed class WorkerPressureTests(WorkerPressureTests.PressureFactory factory) : IClassFixture<WorkerPressureTests.PressureFactory>
{
    /// <summary>Two workers at once and one job waiting; uploads up to 1 MB.</summary>
    public sealed class PressureFactory : MgAuthFactory
    {
        public const int QueueLength = 1;
        public const int MaxUploadBytes = 1024 * 1024;

        protected override IEnumerable<KeyValuePair<string, string?>> Overrides =>
        [
            new("Worker:Concurrency", "2"), new("Worker:QueueLength", QueueLength.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new("Worker:TimeoutSeconds", "120"),
            new("Releases:MaxUploadBytes", MaxUploadBytes.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ];
    }

    private PackWorker Worker => factory.Services.GetRequiredService<PackWorker>();

    private HttpClient Author => factory.ClientFor(factory.Keys.PolicyAuthor);

    private HttpClient NewAuthor(string person) =>
        factory.ClientFor(factory.Services.GetRequiredService<ApiKeys>().Create(TestKeys.Plan, Roles.PolicyAuthor, $"Author {person}", personId: person));

    private long StoredReleases() =>
        factory.ScalarLong("SELECT (SELECT COUNT(*) FROM rule_releases) + (SELECT COUNT(*) FROM refused_uploads) + (SELECT COUNT(*) FROM rule_pack_versions)");

    /// <summary>The repository's pack with three of its cases: it compiles and passes, and checks quickly.</summary>
    private static ReleaseFiles SmallValid() => ReleaseFiles.Repository
        .WithoutPackFiles(path => path.StartsWith("cases/", StringComparison.Ordinal)
            && !path.StartsWith("cases/001-", StringComparison.Ordinal) && !path.StartsWith("cases/002-", StringComparison.Ordinal)
            && !path.StartsWith("cases/003-", StringComparison.Ordinal))
        .WithPackFile("pack.yaml", ReleaseFiles.Repository.Pack["pack.yaml"] + $"\n# {Guid.NewGuid():N}\n");

    /// <summary>
    /// The repository's whole pack, made a new release: its 157 cases keep a worker busy for seconds. (A pack whose case
    /// never ends can no longer be written: the pack language has no loop, no recursion and no join of many facts.)
    /// </summary>
    private static ReleaseFiles Busy() =>
        ReleaseFiles.Repository.WithPackFile("pack.yaml", ReleaseFiles.Repository.Pack["pack.yaml"] + $"\n# {Guid.NewGuid():N}\n");

    private static int RetryAfterSeconds(HttpResponseMessage response)
    {
        Assert.True(response.Headers.RetryAfter?.Delta is not null, $"no Retry-After on {(int)response.StatusCode}");
        var seconds = (int)response.Headers.RetryAfter!.Delta!.Value.TotalSeconds;
        Assert.InRange(seconds, 1, 120);
        return seconds;
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan limit, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < limit, $"timed out waiting until {what}");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task A_flood_of_publishes_gets_429_at_once_and_another_persons_release_is_checked_meanwhile()
    {
        _ = factory.Services;
        using var flood = new CancellationTokenSource();
        var floods = Enumerable.Range(0, 4).Select(_ => Busy())
            .Select(release => Author.PostAsync("/v1/rulepacks", Http.Json(release.ToUpload("flood")), flood.Token)).ToArray();

        // One of them runs; the other three are answered at once: one job at a time per person.
        var answered = new List<Task<HttpResponseMessage>>();
        while (answered.Count < 3)
            answered.Add(await Task.WhenAny(floods.Except(answered)).WaitAsync(TimeSpan.FromSeconds(30)));
        var refused = await Task.WhenAll(answered);
        foreach (var response in refused)
        {
            var problem = await response.AssertProblemAsync(HttpStatusCode.TooManyRequests);
            Assert.EndsWith("/one-job-per-person", (string)problem["type"]!);
            RetryAfterSeconds(response);
        }
        var running = floods.Except(answered).Single();

        // Another person's valid release is checked in the other slot, whatever the first person sends.
        var honest = Stopwatch.StartNew();
        await NewAuthor("P-honest").PublishCreatedAsync(SmallValid(), "valid");
        Assert.True(honest.Elapsed < TimeSpan.FromSeconds(90), $"the valid release took {honest.Elapsed}");

        // The flood's author gives up (or its one job ends): the place is freed either way.
        await flood.CancelAsync();
        try { (await running).Dispose(); }
        catch (OperationCanceledException) { }
        await WaitUntilAsync(() => Worker.Queue.Admitted == 0, TimeSpan.FromSeconds(60), "the flood's place is free");
        foreach (var response in refused) response.Dispose();
    }

    [Fact]
    public async Task A_full_queue_answers_503_with_Retry_After_and_stores_nothing()
    {
        _ = factory.Services;
        var held = Enumerable.Range(0, 2 + PressureFactory.QueueLength).Select(i => Worker.Admit($"P-holder-{i}")).ToList();
        try
        {
            var before = StoredReleases();
            using (var publish = await NewAuthor("P-late").PublishAsync(SmallValid()))
            {
                var problem = await publish.AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
                Assert.EndsWith("/worker-queue-full", (string)problem["type"]!);
                RetryAfterSeconds(publish);
            }
            using (var impact = await Author.PostJsonAsync("/v1/rulepacks/impact", new JsonObject { ["candidate"] = ReleaseFiles.Repository.Sha256 }))
            {
                await impact.AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
                RetryAfterSeconds(impact);
            }
            Assert.Equal(before, StoredReleases());

            // A place comes free: the next one is let in (an impact run on an unknown release needs no worker).
            held[0].Dispose();
            using var next = await Author.PostJsonAsync("/v1/rulepacks/impact", new JsonObject { ["candidate"] = new string('0', 64) });
            await next.AssertProblemAsync(HttpStatusCode.NotFound);
        }
        finally
        {
            foreach (var ticket in held) ticket.Dispose();
        }
    }

    [Fact]
    public async Task One_person_cannot_hold_two_places_even_with_a_second_key()
    {
        _ = factory.Services;
        using var running = Worker.Admit(TestKeys.AuthorPerson);
        var secondKey = factory.Services.GetRequiredService<ApiKeys>()
            .Create(TestKeys.Plan, Roles.PolicyAuthor, "Same author, second key", personId: TestKeys.AuthorPerson.ToLowerInvariant());

        foreach (var client in new[] { Author, factory.ClientFor(secondKey) })
        {
            using var publish = await client.PublishAsync(SmallValid());
            Assert.EndsWith("/one-job-per-person", (string)(await publish.AssertProblemAsync(HttpStatusCode.TooManyRequests))["type"]!);
            RetryAfterSeconds(publish);
            using var impact = await client.PostJsonAsync("/v1/rulepacks/impact", new JsonObject { ["candidate"] = new string('0', 64) });
            await impact.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        }
        // Someone else is let in.
        using var other = await NewAuthor("P-other").PostJsonAsync("/v1/rulepacks/impact", new JsonObject { ["candidate"] = new string('0', 64) });
        await other.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task An_upload_over_the_cap_is_refused_413_and_not_stored()
    {
        _ = factory.Services;
        var before = StoredReleases();
        var huge = SmallValid().WithPackFile("Padding.cs", "// " + new string('x', PressureFactory.MaxUploadBytes));

        using var response = await Author.PublishAsync(huge);
        var problem = await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains(PressureFactory.MaxUploadBytes.ToString(System.Globalization.CultureInfo.InvariantCulture), (string)problem["detail"]!);
        Assert.Equal(before, StoredReleases());
        Assert.Equal(0, Worker.Queue.Admitted);

        // Without a Content-Length the reading stops at the cap.
        var body = System.Text.Encoding.UTF8.GetBytes(huge.ToUpload().ToJsonString());
        using var chunked = new StreamContent(new UnseekableStream(body));
        chunked.Headers.ContentType = new("application/json");
        using var streamed = await Author.PostAsync("/v1/rulepacks", chunked);
        await streamed.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(before, StoredReleases());
    }

    [Fact]
    public async Task A_refused_upload_is_kept_as_its_hash_size_publisher_and_problems_not_its_content()
    {
        var broken = SmallValid().WithPackFile("Broken.cs", """
            namespace MgAuth.Rules.IvigMg;

            public static class Broken
            {
                public static int Twice(int x) => x * "two";
            }
            """);
        using (var response = await Author.PublishAsync(broken, "does not compile"))
            await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity);

        using var connection = factory.OpenDatabase();
        using var command = MgAuthFactory.Command(connection, """
            SELECT sha256, size_bytes, published_by, publisher_person, problems_json, note FROM refused_uploads WHERE sha256 = @s
            """, ("@s", broken.Sha256));
        using (var row = command.ExecuteReader())
        {
            Assert.True(row.Read(), "no refused_uploads row");
            Assert.Equal(ReleaseStore.SizeOf(broken.ToRelease()), Convert.ToInt64(row["size_bytes"], System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(factory.Keys.PolicyAuthor.Record.Id, (string)row["published_by"]);
            Assert.Equal(TestKeys.AuthorPerson, (string)row["publisher_person"]);
            Assert.Contains("CS0019", (string)row["problems_json"]);
            Assert.Equal("does not compile", (string)row["note"]);
        }
        // Not its content: no pack files, no policy texts, no release row holding them.
        Assert.Equal(0, factory.ScalarLong("SELECT COUNT(*) FROM rule_releases WHERE sha256 = @s", ("@s", broken.Sha256)));
        Assert.Equal(0, factory.ScalarLong("SELECT COUNT(*) FROM rule_pack_versions WHERE sha256 = @s", ("@s", broken.PackSha256)));
        Assert.True(factory.ScalarLong("SELECT LENGTH(problems_json) + LENGTH(note) FROM refused_uploads WHERE sha256 = @s", ("@s", broken.Sha256))
            < ReleaseStore.SizeOf(broken.ToRelease()) / 20);

        // It is listed as refused; publishing it again answers the same refusal; nothing can run it.
        var view = (await Author.ListReleasesAsync()).Release(broken.Sha256);
        Assert.False((bool)view["valid"]!);
        using (var again = await Author.PublishAsync(broken))
            await again.AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        using (var impact = await Author.PostJsonAsync("/v1/rulepacks/impact", new JsonObject { ["candidate"] = broken.Sha256 }))
            await impact.AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        using (var activate = await factory.ClientFor(factory.Keys.PolicyApprover).ActivateAsync(broken.Sha256))
            await activate.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(1, factory.ScalarLong("SELECT COUNT(*) FROM refused_uploads WHERE sha256 = @s", ("@s", broken.Sha256)));
    }

    private sealed class UnseekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}

/// <summary>A person's uploads a day are capped: the one that would pass the quota is refused with 429 and not stored.</summary>
public sealed class UploadQuotaTests(UploadQuotaTests.QuotaFactory factory) : IClassFixture<UploadQuotaTests.QuotaFactory>
{
    /// <summary>2,000 bytes of releases a person a day.</summary>
    public sealed class QuotaFactory : MgAuthFactory
    {
        public const long QuotaBytes = 2000;

        protected override IEnumerable<KeyValuePair<string, string?>> Overrides =>
            [new("Releases:StoragePerPersonPerDayMegabytes", (QuotaBytes / 1024.0 / 1024.0).ToString("R", System.Globalization.CultureInfo.InvariantCulture))];
    }

    /// <summary>A release of about 600 bytes that is refused at once (its policy does not load).</summary>
    private static ReleaseFiles Tiny() => new(
        new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["pack.yaml"] = $"id: tiny\nversion: 1.0.0\ndescription: tiny\n# {Guid.NewGuid():N}\n# {new string('.', 400)}\n",
            ["Rules.cs"] = "namespace MgAuth.Rules.Tiny;\n",
        },
        new Dictionary<string, string>(StringComparer.Ordinal) { ["tiny.yaml"] = "id: tiny\n" });

    [Fact]
    public async Task The_upload_past_a_persons_daily_quota_is_refused_429_and_not_stored()
    {
        var keys = factory.Services.GetRequiredService<ApiKeys>();
        var author = factory.ClientFor(keys.Create(TestKeys.Plan, Roles.PolicyAuthor, "Quota author", personId: "P-quota"));
        var uploads = Enumerable.Range(0, 4).Select(_ => Tiny()).ToArray();
        var size = ReleaseStore.SizeOf(uploads[0].ToRelease());
        var allowed = (int)(QuotaFactory.QuotaBytes / size);
        Assert.InRange(allowed, 2, 3);

        for (var i = 0; i < allowed; i++)
            using (var response = await author.PublishAsync(uploads[i]))
                await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity);

        using (var over = await author.PublishAsync(uploads[allowed]))
        {
            var problem = await over.AssertProblemAsync(HttpStatusCode.TooManyRequests);
            Assert.EndsWith("/upload-quota", (string)problem["type"]!);
            var retry = over.Headers.RetryAfter?.Delta ?? throw new Xunit.Sdk.XunitException("no Retry-After");
            Assert.InRange(retry, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1));
        }
        Assert.Equal(0, factory.ScalarLong("SELECT COUNT(*) FROM refused_uploads WHERE sha256 = @s", ("@s", uploads[allowed].Sha256)));
        Assert.Equal(allowed, factory.ScalarLong("SELECT COUNT(*) FROM refused_uploads WHERE publisher_person = 'P-quota'"));

        // The quota is the person's: another author still publishes.
        var other = factory.ClientFor(keys.Create(TestKeys.Plan, Roles.PolicyAuthor, "Another author", personId: "P-quota-2"));
        using var theirs = await other.PublishAsync(uploads[allowed]);
        await theirs.AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
    }
}

/// <summary>The worker queue itself: places, one per person, Retry-After from the running jobs' time limits, FIFO slots.</summary>
public sealed class WorkerQueueTests
{
    private sealed class ManualClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private static readonly WorkerLimits Limits = new() { Concurrency = 1, QueueLength = 1, Timeout = TimeSpan.FromSeconds(60) };

    [Fact]
    public async Task A_person_has_one_place_and_a_full_queue_says_when_a_place_comes_free()
    {
        var clock = new ManualClock();
        var queue = new WorkerQueue(Limits, clock);
        using var first = queue.Admit("P-1");
        await first.TakeSlotAsync(CancellationToken.None);
        clock.Now += TimeSpan.FromSeconds(15);

        var own = Assert.Throws<WorkerBusyException>(() => queue.Admit("p-1"));
        Assert.Equal(WorkerBusyReason.PersonHasJob, own.Reason);
        Assert.Equal(TimeSpan.FromSeconds(45), own.RetryAfter);

        using var second = queue.Admit("P-2");
        var full = Assert.Throws<WorkerBusyException>(() => queue.Admit("P-3"));
        Assert.Equal(WorkerBusyReason.QueueFull, full.Reason);
        Assert.Equal(TimeSpan.FromSeconds(45), full.RetryAfter);
        Assert.Throws<WorkerBusyException>(() => queue.Admit(null));

        // The second waits for the slot until the first is done, then a third person is let in.
        var waiting = second.TakeSlotAsync(CancellationToken.None);
        await Task.Delay(100);
        Assert.False(waiting.IsCompleted);
        first.ReleaseSlot();
        first.Dispose();
        await waiting.WaitAsync(TimeSpan.FromSeconds(5));
        using var third = queue.Admit("P-3");
        Assert.Equal(2, queue.Admitted);
        Assert.Equal(1, queue.Running);
    }
}
