using MgAuth.Api.Tests.Support;
using System.Data.Common;

namespace MgAuth.Api.Tests;

/// <summary>GET /v1/authorizations/{id}/history: every change of a case is an event, in order, with actor, time and status before and after.</summary>
public sealed class AuditTrailTests(MgAuthFactory factory) : IClassFixture<MgAuthFactory>
{
    private static (string Kind, string? From, string? To, string Role)[] Changes(JsonArray events) => events
        .Where(e => (string)e!["kind"]! != "viewed")
        .Select(e => ((string)e!["kind"]!, (string?)e["fromStatus"], (string?)e["toStatus"], (string)e["actorRole"]!))
        .ToArray();

    [Fact]
    public async Task A_denial_and_its_appeal_leave_every_step_in_order()
    {
        var pended = await factory.PendedDenyAsync();
        using (await factory.Clinician().ClaimAsync(pended.Id())) { }
        await factory.Clinician().DetermineOkAsync(pended.Id(), ReviewCalls.Deny());
        var appeal = await factory.ProviderA.AppealOkAsync(pended.Id());

        var events = await factory.ProviderA.EventsAsync(pended.Id());

        Assert.Equal(new (string, string?, string?, string)[]
        {
            ("submitted", null, null, "provider"),
            ("decided", null, "pended", "engine"),
            ("claimed", "pended", "pended", "clinician"),
            ("determined", "pended", "denied", "clinician"),
            ("appealed", "denied", "denied", "provider"),
        }, Changes(events));
        var seqs = events.Select(e => (long)e!["seq"]!).ToArray();
        Assert.Equal(Enumerable.Range(1, seqs.Length).Select(i => (long)i), seqs);
        var times = events.Select(e => DateTimeOffset.Parse((string)e!["at"]!)).ToArray();
        Assert.Equal(times.Order(), times);
        var determined = events.Single(e => (string)e!["kind"]! == "determined")!;
        Assert.Equal(factory.Keys.Clinician.Record.Id, (string)determined["actor"]!);
        // The history names the person by name (the key's, for a key), never by key id.
        Assert.Equal("Clinician", (string)determined["person"]!["name"]!);
        Assert.All(events, e => Assert.DoesNotContain("key_", (string)e!["person"]!["name"]!));
        Assert.Contains("DOSE_ABOVE_COURSE_CEILING", (string)determined["detail"]!);
        Assert.Contains(appeal.Id(), (string)events.Single(e => (string)e!["kind"]! == "appealed")!["detail"]!);

        var appealEvents = await factory.Clinician().EventsAsync(appeal.Id());
        var opened = Changes(appealEvents)[0];
        Assert.Equal(("submitted", null, "pended", "provider"), opened);
        Assert.Contains(pended.Id(), (string)appealEvents[0]!["detail"]!);
    }

    [Fact]
    public async Task A_request_for_information_and_the_supplement_are_in_the_trail()
    {
        var pended = await factory.PendedReviewAsync();
        await factory.Reviewer.DetermineOkAsync(pended.Id(), ReviewCalls.RequestInformation("clinical.mgAdl.baseline"));
        await factory.ProviderA.SupplementOkAsync(pended.Id(), Examples.BaselinesSupplement());

        var changes = Changes(await factory.Reviewer.EventsAsync(pended.Id()));

        Assert.Equal(new (string, string?, string?, string)[]
        {
            ("submitted", null, null, "provider"),
            ("decided", null, "pended", "engine"),
            ("information_requested", "pended", "pended", "reviewer"),
            ("supplemented", "pended", null, "provider"),
            ("decided", "pended", "approved", "engine"),
        }, changes);
    }

    [Fact]
    public async Task Who_viewed_the_case_is_recorded()
    {
        var pended = await factory.PendedDenyAsync();
        await factory.Reviewer.GetOkAsync($"/v1/authorizations/{pended.Id()}");
        await factory.Clinician().GetOkAsync($"/v1/authorizations/{pended.Id()}/history");

        var views = (await factory.Admin().EventsAsync(pended.Id())).Where(e => (string)e!["kind"]! == "viewed").ToArray();

        Assert.Contains(views, v => (string)v!["actor"]! == factory.Keys.Reviewer.Record.Id && v["detail"] is null);
        Assert.Contains(views, v => (string)v!["actor"]! == factory.Keys.Clinician.Record.Id && (string?)v["detail"] == "history");
        Assert.All(views, v => Assert.Equal("pended", (string)v!["fromStatus"]!));
        Assert.All(views, v => Assert.Equal("pended", (string)v!["toStatus"]!));
    }

    [Theory]
    [InlineData("audit_log", "INSERT INTO audit_log (at, actor, actor_role, action) VALUES ('2026-01-01T00:00:00Z', @mark, 'admin', 'test.appended')")]
    [InlineData("evaluations", "INSERT INTO evaluations (at, actor, actor_role, organization_id, status, outcome) VALUES ('2026-01-01T00:00:00Z', @mark, 'provider', 'org', 200, 'approve')")]
    public void The_audit_logs_take_new_rows_and_refuse_to_change_them(string table, string insert)
    {
        var mark = Guid.NewGuid().ToString("N");
        Assert.Equal(1, factory.Execute(insert, ("@mark", mark)));
        Assert.ThrowsAny<DbException>(() => factory.Execute($"UPDATE {table} SET actor = 'someone else' WHERE actor = @mark", ("@mark", mark)));
        Assert.ThrowsAny<DbException>(() => factory.Execute($"DELETE FROM {table} WHERE actor = @mark", ("@mark", mark)));
        Assert.Equal(1, factory.ScalarLong($"SELECT COUNT(*) FROM {table} WHERE actor = @mark", ("@mark", mark)));
    }

    [Fact]
    public async Task Every_determination_has_its_event_and_the_trail_cannot_be_rewritten()
    {
        var pended = await factory.PendedDenyAsync();
        await factory.Clinician().DetermineOkAsync(pended.Id(), ReviewCalls.Deny());

        Assert.Equal(
            factory.ScalarLong("SELECT COUNT(*) FROM determinations WHERE authorization_id = @id", ("@id", pended.Id())),
            factory.ScalarLong("SELECT COUNT(*) FROM events WHERE authorization_id = @id AND kind = 'determined'", ("@id", pended.Id())));
        Assert.ThrowsAny<DbException>(() => factory.Execute("UPDATE events SET kind = 'nothing' WHERE authorization_id = @id", ("@id", pended.Id())));
        Assert.ThrowsAny<DbException>(() => factory.Execute("DELETE FROM events WHERE authorization_id = @id", ("@id", pended.Id())));
        Assert.ThrowsAny<DbException>(() => factory.Execute("UPDATE determinations SET action = 'approve' WHERE authorization_id = @id", ("@id", pended.Id())));
        // PostgreSQL has TRUNCATE besides DELETE: refused too.
        if (TestStorage.IsPostgres)
            foreach (var table in new[] { "events", "determinations", "audit_log", "evaluations" })
                Assert.ThrowsAny<DbException>(() => factory.Execute($"TRUNCATE {table} CASCADE"));
        Assert.Equal(1, factory.ScalarLong("SELECT COUNT(*) FROM determinations WHERE authorization_id = @id", ("@id", pended.Id())));
    }

    [Fact]
    public async Task A_provider_reads_only_its_own_cases_history()
    {
        var pended = await factory.PendedDenyAsync();

        await factory.ProviderA.EventsAsync(pended.Id());
        using var other = await factory.ProviderB.GetAsync($"/v1/authorizations/{pended.Id()}/history");
        using var author = await factory.ClientFor(factory.Keys.PolicyAuthor).GetAsync($"/v1/authorizations/{pended.Id()}/history");

        await other.AssertProblemAsync(HttpStatusCode.NotFound);
        await author.AssertProblemAsync(HttpStatusCode.Forbidden);
    }
}
