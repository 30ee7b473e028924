using System.Text;
using System.Text.Json;
using MgAuth.Api.Infrastructure;
using MgAuth.Api.Security;
using MgAuth.Cases;
using MgAuth.Cases.Data;
using MgAuth.Cases.Releases;
using MgAuth.Cases.Security;
using MgAuth.Domain.Decisions;
using Person = MgAuth.Domain.Decisions.Person;
using MgAuth.Domain.Requests;
using MgAuth.RulePacks;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MgAuth.Api.RulePacks;

/// <summary>A release as uploaded: the pack's files by path (pack.yaml, *.cs, cases/*.json) and the policy files by name.</summary>
internal sealed record ReleaseUpload(string? Note, Dictionary<string, string>? Pack, Dictionary<string, string>? Policies)
{
    public RuleRelease ToRelease(string name) => new(
        new PackSource(name, (Pack ?? []).OrderBy(f => f.Key, StringComparer.Ordinal)
            .Select(f => new PackFile(f.Key.Replace('\\', '/'), Encoding.UTF8.GetBytes(f.Value))).ToArray()),
        Policies ?? []);
}

internal sealed record ActivateRequest(DateTimeOffset? EffectiveFrom, string? Note);

internal sealed record ImpactRequest(string? Candidate, ReleaseUpload? Upload, string? PolicyId, DateOnly? Since);

internal sealed record ReleaseView(string Sha256, string PackId, string PackVersion, string PackSha256, string PublishedBy, string PublishedAt,
    string Note, bool Valid, IReadOnlyList<string> Problems, long CasesPassed, long CasesFailed, bool Active, string? ActiveSince,
    IReadOnlyList<PolicyVersionView> Policies)
{
    /// <summary>Who published it, as a person (shown by name).</summary>
    public required Person PublishedByPerson { get; init; }
}

internal sealed record PolicyVersionView(string Id, string Version);

/// <summary>An activation or rollback as answered: the record, and each live replica's release once all serve it (or the wait ran out).</summary>
internal sealed record ActivationAnswer(long Id, string ReleaseSha256, string Kind, string ActivatedBy, string ActivatedAt, string EffectiveFrom,
    string Note, bool AllReplicasFollowed, IReadOnlyList<ReplicaView> Replicas)
{
    /// <summary>Who approved (activated) or rolled back, as a person.</summary>
    public required Person ActivatedByPerson { get; init; }
}

internal sealed record ActivationView(long Id, string ReleaseSha256, string Kind, string ActivatedBy, string ActivatedAt, string EffectiveFrom, string Note)
{
    /// <summary>Who approved (activated) or rolled back, as a person.</summary>
    public required Person ActivatedByPerson { get; init; }

    public static ActivationView Of(ActivationRecord a) =>
        new(a.Id, a.ReleaseSha256, a.Kind.Text(), a.ActivatedBy, a.ActivatedAt.ToString("O"), a.EffectiveFrom.ToString("O"), a.Note)
        {
            ActivatedByPerson = a.ActivatedPerson,
        };
}

internal sealed record ReplicaView(string Replica, string Host, string StartedAt, string SeenAt, string ServingRelease, string? PendingRelease)
{
    public static IReadOnlyList<ReplicaView> Of(IEnumerable<ReplicaState> replicas) => replicas
        .Select(r => new ReplicaView(r.Replica, r.Host, r.StartedAt.ToString("O"), r.SeenAt.ToString("O"), r.ServingRelease, r.PendingRelease))
        .ToArray();
}

internal sealed record RulePackListing(string ActiveRelease, IReadOnlyList<PolicyVersionView> ActivePolicies, string? PendingRelease,
    string? PendingFrom, IReadOnlyList<ReleaseView> Releases, IReadOnlyList<ActivationView> Activations, IReadOnlyList<ReplicaView> Replicas);

internal sealed record AuditView(long Id, string At, string Actor, string ActorRole, string? OrganizationId, string Action, string? Subject, string? Detail,
    Person Person)
{
    public static AuditView Of(AuditEntry e) => new(e.Id, e.At.ToString("O"), e.Actor, e.ActorRole, e.OrganizationId, e.Action, e.Subject, e.Detail,
        e.Person);
}

/// <summary>The newest 500 entries of the audit log about releases, newest first.</summary>
internal sealed record AuditListing(IReadOnlyList<AuditView> Entries);

/// <summary>What the release routes take from the request and the service: one object, bound with <c>[AsParameters]</c>.</summary>
internal sealed record ReleaseRoute(HttpContext Http, ReleaseService Releases, ActiveRules Active, ReplicaRegistry Replicas,
    IConfiguration Configuration, TimeProvider Clock, Caller Caller)
{
    /// <summary>Who calls, as a release actor: the person signed in, or the key and the person it names.</summary>
    public ReleaseActor Actor => ReleaseActor.Of(Caller);
}

/// <summary>Policy authors publish, test, activate and roll back releases without a restart.</summary>
internal static class RulePacksApi
{
    private const int MaxNoteLength = 1000;

    public static IEndpointRouteBuilder MapRulePacks(this IEndpointRouteBuilder routes)
    {
        var rulepacks = routes.MapGroup("/v1/rulepacks").WithTags("Rule packs");
        var staff = rulepacks.MapGroup("").RequireAuthorization(Access.Staff);
        staff.MapGet("/", List).WithSummary("Every release, which is active, and since when");
        staff.MapGet("/audit", Audit).WithSummary("Who published, activated, rolled back releases and ran impact analyses, and when");

        var authors = rulepacks.MapGroup("").RequireAuthorization(Access.PolicyAuthors);
        authors.MapPost("/", PublishAsync)
            .WithSummary("Publish a release (pack + policies): compiled and its cases run in a worker process; only a passing release can be activated")
            .Accepts<ReleaseUpload>("application/json")
            .AddEndpointFilter(WorkerPlace.TakeAsync);

        var approvers = rulepacks.MapGroup("").RequireAuthorization(Access.PolicyApprovers);
        approvers.MapPost("/{sha256}/activate", ActivateAsync)
            .WithSummary("Approve a release and make it the one that decides requests, now or from a given time (not by its publisher)");
        approvers.MapPost("/rollback", RollbackAsync).WithSummary("Go back to the release in force before the current one");

        var readers = rulepacks.MapGroup("").RequireAuthorization(Access.ReleaseReaders);
        readers.MapPost("/impact", ImpactAsync)
            .WithSummary("How a published release that passed its cases would change the stored decisions: counts by transition and reason code "
                + "(under 11 shown as \"<11\"); ids and exact counts for roles that read cases. Releases:ImpactRunsPerDay runs per person and day, then 429")
            .AddEndpointFilter(WorkerPlace.TakeAsync);
        return routes;
    }

    private static Ok<AuditListing> Audit(AuditLog audit) => TypedResults.Ok(new AuditListing(audit.Entries("release.").Select(AuditView.Of).ToArray()));

    private static Ok<RulePackListing> List(ReleaseStore store, ActiveRules active, ReplicaRegistry replicas, TimeProvider clock)
    {
        var activations = store.Activations();
        var current = active.Current;
        var since = activations.LastOrDefault(a => a.ReleaseSha256 == current.ReleaseSha256)?.EffectiveFrom.ToString("O");
        var views = store.All().Select(r =>
        {
            var release = store.Release(r.Sha256);
            var policies = release is null ? [] : Domain.Policies.PolicyLoader.ParseUsable(release.PolicyFiles)
                .Select(p => new PolicyVersionView(p.Id, p.Version)).ToArray();
            var isActive = r.Sha256 == current.ReleaseSha256;
            return new ReleaseView(r.Sha256, r.PackId, r.PackVersion, r.PackSha256, r.PublishedBy, PublishedAt: r.PublishedAt.ToString("O"), r.Note,
                Valid: r.IsValid, r.Problems, r.CasesPassed, r.CasesFailed, Active: isActive, ActiveSince: isActive ? since : null, policies)
            {
                PublishedByPerson = r.Publisher,
            };
        }).ToArray();
        var pending = active.Pending;
        return TypedResults.Ok(new RulePackListing(current.ReleaseSha256,
            current.Policies.All.Values.Select(p => new PolicyVersionView(p.Id, p.Version)).ToArray(),
            pending?.Rules.ReleaseSha256, pending?.From.ToString("O"), views, activations.Select(ActivationView.Of).ToArray(),
            ReplicaView.Of(replicas.Live(clock.GetUtcNow()))));
    }

    private static async Task<Results<Created<PublishResult>, JsonHttpResult<ProblemDocument>>> PublishAsync([AsParameters] ReleaseRoute route)
    {
        var http = route.Http;
        var (upload, problem) = await ReadAsync<ReleaseUpload>(http, route.Releases.Limits.MaxUploadBytes);
        if (problem is not null) return problem;
        var errors = new Dictionary<string, string[]>();
        if (upload!.Pack is not { Count: > 0 }) errors["pack"] = ["the pack's files are required, by path"];
        if (upload.Policies is not { Count: > 0 }) errors["policies"] = ["at least one policy file is required, by name"];
        if (upload.Note is { Length: > MaxNoteLength }) errors["note"] = [$"a note is at most {MaxNoteLength} characters"];
        if (errors.Count > 0) return Problems.For(Refusal.Rejected(ProblemDocument.InvalidRequest(errors)));

        var published = await route.Releases.PublishAsync(upload.ToRelease("upload"), route.Actor, upload.Note ?? "", http.RequestAborted);
        if (published.IsRefused(out var refused)) return Problems.For(refused, http.Response);
        var result = published.Value;
        return result.Refusal is { } refusal ? Problems.For(refusal) : TypedResults.Created($"/v1/rulepacks/{result.Sha256}", result);
    }

    private static async Task<Results<Ok<ActivationAnswer>, JsonHttpResult<ProblemDocument>>> ActivateAsync(string sha256, [AsParameters] ReleaseRoute route)
    {
        var http = route.Http;
        ActivateRequest? body = null;
        if (http.Request.ContentLength is > 0)
        {
            var (read, problem) = await ReadAsync<ActivateRequest>(http, route.Releases.Limits.MaxUploadBytes);
            if (problem is not null) return problem;
            body = read;
        }
        var activation = await route.Releases.ActivateAsync(route.Active, sha256, route.Actor, body?.EffectiveFrom, note: body?.Note ?? "",
            http.RequestAborted);
        return await FollowedAsync(activation, route);
    }

    private static async Task<Results<Ok<ActivationAnswer>, JsonHttpResult<ProblemDocument>>> RollbackAsync([AsParameters] ReleaseRoute route) =>
        await FollowedAsync(await route.Releases.RollbackAsync(route.Active, route.Actor, route.Http.RequestAborted), route);

    private static async Task<Results<Ok<ImpactReport>, JsonHttpResult<ProblemDocument>>> ImpactAsync([AsParameters] ReleaseRoute route,
        ImpactAnalyzer analyzer)
    {
        var http = route.Http;
        var (request, problem) = await ReadAsync<ImpactRequest>(http, route.Releases.Limits.MaxUploadBytes);
        if (problem is not null) return problem;
        if (request!.Candidate is not { } sha)
            return Problems.For(Refusal.Rejected(ProblemDocument.InvalidRequest(new Dictionary<string, string[]>
            {
                ["candidate"] = [request.Upload is null
                    ? "name a published release by its sha256"
                    : "publish the release first (POST /v1/rulepacks): impact runs only on a release that compiled and passed its cases"],
            })));
        var caller = route.Caller;
        // Ids and exact counts only for a role that may read cases anyway; authors and approvers get counts, small ones hidden.
        var by = new ImpactCaller(new AuditActor(caller.KeyId, caller.Role, caller.OrganizationId, caller.Person), WorkerPlace.PersonOf(caller),
            MayReadCases: Roles.SeesAllOrganizations(caller.Role));
        var report = await analyzer.RunAsync(sha, by, request.PolicyId, request.Since, http.RequestAborted);
        return report.IsRefused(out var refusal) ? Problems.For(refusal, http.Response) : TypedResults.Ok(report.Value);
    }

    // The activation is recorded; the other replicas take it up at their next poll. Answer when every live replica
    // serves it (or holds it for its effective time), or after Rules:ActivationWaitSeconds (30) with who has not.
    private static async Task<Results<Ok<ActivationAnswer>, JsonHttpResult<ProblemDocument>>> FollowedAsync(Refusable<ActivationRecord> switched,
        ReleaseRoute route)
    {
        if (switched.IsRefused(out var refusal)) return Problems.For(refusal);
        var activation = switched.Value;
        var cancellationToken = route.Http.RequestAborted;
        await route.Replicas.ReportAsync(route.Active, route.Clock.GetUtcNow(), cancellationToken);
        var wait = TimeSpan.FromSeconds(route.Configuration.GetValue("Rules:ActivationWaitSeconds", 30));
        var states = await route.Replicas.WaitForAsync(activation.ReleaseSha256, wait, route.Clock, cancellationToken);
        var all = states.All(r => r.ServingRelease == activation.ReleaseSha256 || r.PendingRelease == activation.ReleaseSha256);
        return TypedResults.Ok(new ActivationAnswer(activation.Id, activation.ReleaseSha256, activation.Kind.Text(), activation.ActivatedBy,
            activation.ActivatedAt.ToString("O"), activation.EffectiveFrom.ToString("O"), activation.Note, all, ReplicaView.Of(states))
        {
            ActivatedByPerson = activation.ActivatedPerson,
        });
    }

    // Refused with 413 as soon as Content-Length (or, without one, the bytes read so far) passes the limit.
    private static async Task<(T? Value, JsonHttpResult<ProblemDocument>? Problem)> ReadAsync<T>(HttpContext http, int maxBytes) where T : class
    {
        var (body, problem) = await RequestBody.ReadJsonAsync(http.Request, maxBytes);
        if (problem is not null) return (null, problem);
        try
        {
            return JsonSerializer.Deserialize<T>(body!, MgAuthJson.Compact) is { } value
                ? (value, null)
                : (null, Problems.For(Refusal.Rejected(ProblemDocument.NotJson("the body must be a JSON object"))));
        }
        catch (JsonException e)
        {
            return (null, Problems.For(Refusal.Rejected(ProblemDocument.NotJson(e.Message))));
        }
    }
}
