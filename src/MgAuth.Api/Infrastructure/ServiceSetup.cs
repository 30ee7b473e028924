using System.Text.Encodings.Web;
using System.Text.Unicode;
using System.Threading.RateLimiting;
using MgAuth.Api.Authorizations;
using MgAuth.Api.Crd;
using MgAuth.Api.Fhir;
using MgAuth.Api.Health;
using MgAuth.Api.Review;
using MgAuth.Api.RulePacks;
using MgAuth.Api.Security;
using MgAuth.Api.Smart;
using MgAuth.Api.Subscriptions;
using MgAuth.Cases.Subscriptions;
using MgAuth.Cases;
using MgAuth.Cases.Data;
using MgAuth.Cases.Releases;
using MgAuth.Cases.Replay;
using MgAuth.Cases.Security;
using MgAuth.Cases.Telemetry;
using MgAuth.Domain.Requests;
using MgAuth.RulePacks;
using MgAuth.RulePacks.Isolation;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.OpenApi;
using MgAuth.Cases.Authorizations;
using MgAuth.Cases.Review;
using Microsoft.Extensions.Options;

namespace MgAuth.Api.Infrastructure;

public sealed class RateLimits
{
    /// <summary>Requests a key may make per second, sustained.</summary>
    public int PermitsPerSecond { get; set; } = 20;

    /// <summary>How many requests a key may make at once before the sustained rate applies.</summary>
    public int Burst { get; set; } = 40;
}

/// <summary>The composition root's parts: services, then the pipeline.</summary>
public static class ServiceSetup
{
    /// <summary>The limits untrusted pack code runs under (<c>Worker:*</c>).</summary>
    public static WorkerLimits WorkerSettings(IConfiguration configuration)
    {
        var defaults = new WorkerLimits();
        return new WorkerLimits
        {
            Timeout = TimeSpan.FromSeconds(configuration.GetValue("Worker:TimeoutSeconds", defaults.Timeout.TotalSeconds)),
            HeapMegabytes = configuration.GetValue("Worker:HeapMegabytes", defaults.HeapMegabytes),
            AddressSpaceMegabytes = configuration.GetValue("Worker:AddressSpaceMegabytes", defaults.AddressSpaceMegabytes),
            Concurrency = configuration.GetValue("Worker:Concurrency", defaults.Concurrency),
            QueueLength = configuration.GetValue("Worker:QueueLength", defaults.QueueLength),
            WorkerPath = configuration["Worker:Path"],
        };
    }

    /// <summary>How much a person may upload (<c>Releases:*</c>).</summary>
    public static ReleaseLimits ReleaseSettings(IConfiguration configuration)
    {
        var defaults = new ReleaseLimits();
        return new ReleaseLimits
        {
            MaxUploadBytes = configuration.GetValue("Releases:MaxUploadBytes", defaults.MaxUploadBytes),
            StoragePerPersonPerDayMegabytes = configuration.GetValue("Releases:StoragePerPersonPerDayMegabytes", defaults.StoragePerPersonPerDayMegabytes),
        };
    }

    public static IServiceCollection AddMgAuth(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(TimeProvider.System);
        services.PostConfigure<LoggerFilterOptions>(KeepRequestUrlsOutOfLogs);
        services.Configure<RequestLimits>(configuration.GetSection("Limits"));
        services.Configure<RateLimits>(configuration.GetSection("RateLimiting"));
        services.Configure<ReviewOptions>(configuration.GetSection("Review"));
        services.AddSingleton(provider => provider.GetRequiredService<IOptions<ReviewOptions>>().Value);
        // The person acting, read once a request from its authenticated principal (handlers take it as a Caller).
        services.AddHttpContextAccessor();
        services.AddScoped(provider => Caller.From(provider.GetRequiredService<IHttpContextAccessor>().HttpContext!.User));
        services.Configure<SecurityOptions>(configuration.GetSection("Security"));

        // Storage:Provider=postgres takes ConnectionStrings:MgAuth as an Npgsql connection string; SQLite is the default.
        var storage = StorageProviders.Parse(configuration["Storage:Provider"]);
        var connectionString = configuration.GetConnectionString("MgAuth")
            ?? (storage == StorageProvider.Sqlite ? $"Data Source={Path.Combine(Folders.Data(), "mgauth.db")}"
                : throw new InvalidOperationException("Storage:Provider=postgres needs ConnectionStrings:MgAuth"));
        services.AddSingleton(provider => new Database(storage, connectionString, provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<MgAuthTelemetry>())
        {
            // Storage:Durability=normal opts out of waiting for the disk at every commit; anything else is full.
            RelaxedDurability = string.Equals(configuration["Storage:Durability"], "normal", StringComparison.OrdinalIgnoreCase),
            BusyTimeoutMs = configuration.GetValue("Storage:BusyTimeoutMs", 5000),
        });
        services.AddSingleton<ApiKeyStore>();
        services.AddSingleton<ApiKeys>();
        services.AddSingleton<ApiKeyCache>();
        services.AddSingleton<KnownKeys>();
        services.AddSingleton<FailedAuthenticationLimiter>();
        services.AddSingleton<AuthorizationStore>();
        services.AddSingleton<EvaluationLog>();
        services.AddSingleton<EvaluationAudit>();
        services.AddSingleton<MgAuth.Cases.Metrics.PriorAuthFigures>();
        services.AddSingleton<RuleVersionStore>();
        services.AddSingleton<ReleaseStore>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton(new PackWorker(WorkerSettings(configuration)));
        services.AddSingleton(ReleaseSettings(configuration));
        services.AddSingleton<CompiledPacks>();
        services.AddSingleton<ReleaseService>();
        services.AddSingleton<ApprovedReleases>();
        services.AddSingleton(provider => new ImpactRunQuota(provider.GetRequiredService<Database>(),
            configuration.GetValue("Releases:ImpactRunsPerDay", ImpactRunQuota.DefaultPerDay)));
        services.AddSingleton<ImpactAnalyzer>();
        services.AddSingleton<ReplicaRegistry>();
        services.AddHostedService<ActivationFollower>();
        // The active release; loaded by a step of the start (PrepareAsync), not by resolving it.
        services.AddSingleton<ActiveRules>();
        services.AddSingleton<AuthorizationService>();
        services.AddSingleton<ReviewStore>();
        services.AddSingleton<CaseDecisions>();
        services.AddSingleton<MgAuth.Cases.Review.CaseAnswers>();
        services.AddSingleton<ReviewService>();
        services.AddSingleton<Replayer>();
        services.AddSingleton<DemoSeeder>();
        services.AddSingleton<PasRequestStore>();
        services.AddSingleton<ClaimSubmission>();
        services.Configure<PlanOptions>(configuration.GetSection(PlanOptions.Section));
        services.AddSingleton<PlanRouting>();
        services.AddSingleton<ClaimInquiry>();
        services.AddSingleton<PasAnswers>();
        services.AddSingleton<SubscriptionStore>();
        services.AddSingleton<OrganizationIdentifiers>();
        services.Configure<SubscriptionOptions>(configuration.GetSection("Subscriptions"));
        services.AddHttpClient(NotificationDispatcher.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => EndpointGuard.Handler(configuration.GetValue("Subscriptions:AllowPrivateEndpoints", false)));
        services.AddHostedService<NotificationDispatcher>();
        services.AddSingleton<Crd.OrderSignHook>();
        services.AddMgAuthObservability(configuration);
        services.AddMgAuthHealthChecks();

        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        });
        services.AddProblemDetails();
        // Who calls: an API key, an EHR's signed CDS Hooks call, an access token of the SMART token server or of the plan's
        // identity provider, or the console's session; CallerSchemes picks one by what the request carries.
        services.AddSingleton<UsedTokenIds>();
        services.AddOptions<StaffOptions>().Bind(configuration.GetSection(StaffOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<StaffOptions>, StaffOptionsCheck>();
        services.AddSingleton<IStaffAuthority, ConfiguredStaffAuthority>();
        services.AddSingleton<IConfigureOptions<Microsoft.AspNetCore.Authentication.JwtBearer.JwtBearerOptions>, StaffTokenOptionsSetup>();
        services.AddAuthentication(CallerSchemes.Default)
            .AddPolicyScheme(CallerSchemes.Default, CallerSchemes.Default, o => o.ForwardDefaultSelector = CallerSchemes.Select)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddScheme<AuthenticationSchemeOptions, Smart.SmartTokenAuthenticationHandler>(Smart.SmartTokenAuthenticationHandler.SchemeName, null)
            .AddJwtBearer(StaffTokens.Scheme, _ => { })
            .AddStaffSignIn(services);
        services.AddSmartBackendServices(configuration);
        services.AddSignedCdsHooks(configuration);
        services.AddAuthorizationBuilder()
            .AddPolicy(Access.Providers, p => p.RequireRole(Roles.Provider))
            .AddPolicy(Access.CaseReaders, p => p.RequireRole(Roles.Provider, Roles.Reviewer, Roles.Clinician, Roles.Admin))
            .AddPolicy(Access.Staff, p => p.RequireRole(Roles.Reviewer, Roles.Clinician, Roles.PolicyAuthor, Roles.PolicyApprover, Roles.Admin))
            .AddPolicy(Access.AnyRole, p => p.RequireRole([.. Roles.All]))
            .AddPolicy(Access.PolicyAuthors, p => p.RequireRole(Roles.PolicyAuthor, Roles.Admin))
            .AddPolicy(Access.PolicyApprovers, p => p.RequireRole(Roles.PolicyApprover))
            .AddPolicy(Access.ReleaseReaders, p => p.RequireRole(Roles.PolicyAuthor, Roles.PolicyApprover, Roles.Admin))
            .AddPolicy(Access.ReviewQueue, p => p.RequireRole([.. MgAuth.Cases.Review.CaseRules.QueueWorkers]))
            .AddPolicy(Access.Reviewers, p => p.RequireRole([.. MgAuth.Cases.Review.CaseRules.Deciders]));
        services.AddRateLimiter(o =>
        {
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                var key = context.User.Identity?.IsAuthenticated == true ? PartitionOf(Caller.From(context.User)) : null;
                if (key is null) return RateLimitPartition.GetNoLimiter("anonymous");
                var limits = context.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<RateLimits>>().Value;
                return RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = limits.Burst,
                    TokensPerPeriod = limits.PermitsPerSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            });
            o.OnRejected = async (context, cancellationToken) =>
            {
                var retry = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? Math.Max(1, (int)Math.Ceiling(after.TotalSeconds)) : 1;
                var limited = new Refusal(RefusalKind.RateLimited, "Too many requests", $"This key has sent too many requests; retry after {retry} s.")
                {
                    RetryAfter = TimeSpan.FromSeconds(retry),
                };
                await Problems.For(limited, context.HttpContext.Response).ExecuteAsync(context.HttpContext);
            };
        });

        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(o =>
        {
            o.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "MgAuth",
                Version = "v1",
                Description = "Prior authorization of IVIG in myasthenia gravis: submit a request, get approve / deny / review with the reasons and the trace.",
            });
            o.AddSecurityDefinition("ApiKey", new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "An MgAuth API key (in Development, see data/demo-keys.txt), or an access token from the plan's identity provider (Staff:Authority).",
            });
            o.AddSecurityRequirement(document => new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("ApiKey", document)] = [] });
            o.CustomSchemaIds(t => t.FullName?.Replace('+', '.'));
            o.DocumentFilter<HealthDocumentFilter>();
            o.SchemaFilter<Authorizations.CaseDecisionSchema>();
            o.SchemaFilter<Authorizations.CaseAnswerSchema>();
            o.MapType<ReportedCount>(() => new OpenApiSchema
            {
                Type = JsonSchemaType.Integer | JsonSchemaType.String,
                Description = "A count; the string \"<11\" for a count under 11 shown to a reader who may not read cases.",
            });
        });
        return services;
    }

    // A key by its id; a person signed in at the identity provider by issuer and subject, whichever token they send.
    private static string PartitionOf(Caller caller) =>
        caller.Person.Issuer == MgAuth.Domain.Decisions.Person.KeysIssuer ? caller.KeyId : $"{caller.Person.Issuer} {caller.Person.Subject}";

    // ASP.NET Core logs every request's URL, query string included, and ?memberId= is member data.
    // Those log lines stay off whatever the configuration asks: every rule that would let them
    // through is dropped, and each logging provider gets a Warning floor for that category.
    private static void KeepRequestUrlsOutOfLogs(LoggerFilterOptions options)
    {
        const string requestLog = "Microsoft.AspNetCore.Hosting.Diagnostics";
        var providers = options.Rules.Select(r => r.ProviderName).Append(null).Distinct().ToArray();
        foreach (var rule in options.Rules.Where(r => r.CategoryName is { } c && requestLog.StartsWith(c, StringComparison.Ordinal)
                     && (r.LogLevel ?? LogLevel.Trace) < LogLevel.Warning).ToArray())
            options.Rules.Remove(rule);
        foreach (var provider in providers)
            options.Rules.Add(new LoggerFilterRule(provider, requestLog, LogLevel.Warning, null));
    }

    public static WebApplication UseMgAuth(this WebApplication app)
    {
        // The client behind a configured reverse proxy, before anything reads its address (off unless configured).
        app.UseTrustedProxies(app.Configuration);
        // Every response, errors included (the exception handler clears headers set earlier), is never sniffed.
        app.Use((context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                context.Response.Headers.XContentTypeOptions = "nosniff";
                return Task.CompletedTask;
            });
            return next(context);
        });
        app.UseExceptionHandler(handler => handler.Run(async context =>
        {
            var error = context.Features.Get<IExceptionHandlerFeature>()?.Error;
            // Every database error, on either provider, is answered here and only here: the transaction was rolled back.
            if (error is not null && DatabaseErrors.IsUnavailable(error))
            {
                if (context.Request.Path.StartsWithSegments("/fhir"))
                {
                    await Fhir.FhirApi.Unavailable().ExecuteAsync(context);
                    return;
                }
                await Problems.Unavailable("The database could not take the request; nothing was stored. Send it again.").ExecuteAsync(context);
                return;
            }
            var detail = error switch
            {
                DecisionFailedException failed => $"No decision could be made: {failed.Message}. Nothing was stored.",
                _ => "The service failed; nothing was stored. Try again.",
            };
            await Problems.For(new Refusal(RefusalKind.Internal, "The request could not be completed", detail)).ExecuteAsync(context);
        }));
        app.UseStatusCodePages(async status =>
        {
            var response = status.HttpContext.Response;
            if (response.HasStarted || response.ContentLength is > 0 || response.ContentType is not null) return;
            // A CDS service is called by an EHR, which signs its calls (CDS Hooks 2.0): say so, not "an API key".
            if (response.StatusCode == StatusCodes.Status401Unauthorized
                && status.HttpContext.Request.Path.StartsWithSegments(Crd.SignedHookAuthenticationHandler.ServicesPath))
            {
                response.Headers.WWWAuthenticate = "Bearer";
                await Problems.For(new Refusal(RefusalKind.Unauthenticated, "A signed CDS Hooks call is required",
                    "Send Authorization: Bearer <a JWT signed by your EHR's key> as CDS Hooks 2.0 \"Trusting CDS Clients\" describes "
                    + "(iss, aud = this service's URL, exp, iat, jti; RS384 or ES384), or an MgAuth API key.")).ExecuteAsync(status.HttpContext);
                return;
            }
            await Problems.ForStatus(response.StatusCode).ExecuteAsync(status.HttpContext);
        });
        // The API's map is for developers: served in Development, or where an operator turns it on.
        if (app.Environment.IsDevelopment() || app.Configuration.GetValue<bool>("Api:Swagger"))
        {
            app.UseSwagger();
            app.UseSwaggerUI(o => o.SwaggerEndpoint("/swagger/v1/swagger.json", "MgAuth v1"));
        }
        // The reviewer console (wwwroot): public files; the key is sent by the page with each API call.
        app.UseDefaultFiles();
        app.UseStaticFiles(new StaticFileOptions
        {
            OnPrepareResponse = context =>
            {
                var headers = context.Context.Response.Headers;
                headers.ContentSecurityPolicy = "default-src 'self'; style-src 'self' 'unsafe-inline'; frame-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'";
                headers.XContentTypeOptions = "nosniff";
                headers.CacheControl = "no-cache";
            },
        });
        app.UseFailedAuthenticationLimit();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        return app;
    }

    /// <summary>Migrates the database, records the rule set in force, and (in Development) seeds the demo.</summary>
    public static async Task PrepareAsync(this WebApplication app)
    {
        var services = app.Services;
        services.GetRequiredService<Database>().Migrate();
        // The active release: the repository's when it is new, else the one last activated (see ReleaseService.LoadInitialAsync).
        await services.GetRequiredService<ActiveRules>().LoadAsync(services.GetRequiredService<ReleaseService>(), RuleRelease.FromFolders(
            Folders.Find(app.Configuration["Rules:Pack"], Path.Combine("rules", "ivig-mg")),
            Folders.Find(app.Configuration["Rules:Policies"], "policies")));
        services.GetRequiredService<PlanRouting>().Check();
        if (app.Environment.IsDevelopment() && app.Configuration.GetValue("Demo:Seed", true))
        {
            string? examples = null;
            try { examples = Folders.Find(app.Configuration["Demo:Examples"], "examples"); }
            catch (DirectoryNotFoundException) { }
            await services.GetRequiredService<DemoSeeder>().SeedAsync(app.Configuration["Demo:KeysFile"] ?? Path.Combine(Folders.Data(), "demo-keys.txt"), examples);
        }
        await services.GetRequiredService<KnownKeys>().LoadAsync();
        var staff = services.GetRequiredService<IStaffAuthority>();
        var log = services.GetRequiredService<ILoggerFactory>().CreateLogger("MgAuth.StaffSignIn");
        if (staff.Authority is null)
            log.LogWarning("Staff sign-in is off: no identity provider is configured (Staff:Authority). API keys still work; the console signs in with a key.");
        else
            log.LogInformation("Staff sign in at {Authority}; its access tokens are accepted for audience {Audience}", staff.Authority,
                services.GetRequiredService<IOptions<StaffOptions>>().Value.Audience);
    }
}
