using System.Diagnostics;
using System.Diagnostics.Metrics;
using MgAuth.Api.Authorizations;
using MgAuth.Cases.Data;
using MgAuth.Cases.Telemetry;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using MgAuth.Cases.Authorizations;

namespace MgAuth.Api.Infrastructure;

/// <summary>
/// OpenTelemetry (README, Observability): traces of ASP.NET Core, HttpClient, Npgsql and the service's own spans;
/// metrics of ASP.NET Core, the runtime and the service's meter. Prometheus scrapes <c>/metrics</c>; OTLP is exported
/// only where <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (the exporter reads the rest of the OTEL_* settings itself).
/// </summary>
public static class Observability
{
    public const string ScrapePath = "/metrics";

    /// <summary>Traces on without OTLP, for a host that adds its own exporter (<c>ConfigureOpenTelemetryTracerProvider</c>).</summary>
    public const string TracesSetting = "Observability:Traces";

    public static IServiceCollection AddMgAuthObservability(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(provider => new MgAuthTelemetry(provider.GetRequiredService<IMeterFactory>(),
            provider.GetRequiredService<TimeProvider>(), () => provider.GetRequiredService<ReviewStore>().QueueDepth()));

        var otlp = !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(configuration["OTEL_SERVICE_NAME"] ?? "mgauth",
                serviceVersion: AuthorizationService.EngineVersion));
        // Spans only for someone who reads them: without an exporter no listener is attached, so no request creates an
        // Activity or sets a tag (a span per request nobody exports cost ~7 % of an evaluation's CPU).
        if (otlp || configuration.GetValue(TracesSetting, false))
            telemetry.WithTracing(tracing =>
            {
                tracing.AddSource(MgAuthTelemetry.Name)
                    // Probes and scrapes come every few seconds and say nothing about requests: no spans for them.
                    .AddAspNetCoreInstrumentation(o => o.Filter = context => !IsProbeOrScrape(context.Request.Path))
                    .AddHttpClientInstrumentation()
                    .AddNpgsql()
                    .AddProcessor(new NoQueryStrings());
                if (otlp) tracing.AddOtlpExporter();
            });
        telemetry.WithMetrics(metrics =>
            {
                // http.route is the endpoint's template (/v1/authorizations/{id}), never the address asked for.
                metrics.AddMeter(MgAuthTelemetry.Name)
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddPrometheusExporter();
                if (otlp) metrics.AddOtlpExporter();
            });
        return services;
    }

    /// <summary>
    /// <c>GET /metrics</c> in Prometheus's text format, without a key, like the probes: it holds counts by outcome, status,
    /// policy and route template, and nothing of a member or a case. A deployment that wants it private blocks the path at
    /// its proxy.
    /// </summary>
    public static IEndpointRouteBuilder MapMetricsScraping(this IEndpointRouteBuilder routes)
    {
        routes.MapPrometheusScrapingEndpoint(ScrapePath).AllowAnonymous();
        return routes;
    }

    private static bool IsProbeOrScrape(PathString path) =>
        path.StartsWithSegments("/health") || path.StartsWithSegments(ScrapePath);

    /// <summary>
    /// A query string can name a member (<c>GET /v1/authorizations?memberId=</c>): no span keeps one, or a full URL, whatever
    /// an instrumentation records by default. Nor Npgsql's data source name, a connection string (a password in it with
    /// Persist Security Info=true on older builds); server.address and db.namespace still say where.
    /// </summary>
    private sealed class NoQueryStrings : BaseProcessor<Activity>
    {
        private static readonly string[] Dropped = ["url.query", "url.full", "http.url", "http.target", "db.npgsql.data_source"];

        public override void OnEnd(Activity data)
        {
            foreach (var tag in Dropped)
                if (data.GetTagItem(tag) is not null) data.SetTag(tag, null);
        }
    }
}
