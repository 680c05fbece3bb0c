using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace ServiceDefaults.Telemetry;

/// <summary>
/// OpenTelemetry for every process: metrics always (scraped at <c>/metrics</c> in Prometheus's format), traces
/// exported over OTLP only when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (the exporter reads the standard
/// OTEL_EXPORTER_OTLP_* variables itself). ASP.NET Core's and Npgsql's own instrumentation come with it.
/// </summary>
public static class ServiceTelemetry
{
    public const string OtlpEndpointSetting = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public const string MetricsPath = "/metrics";

    /// <summary>
    /// Tag combinations a metric keeps apart (beyond them, measurements go to one overflow series). The SDK's default,
    /// 2,000, allocates 2,000 points for every instrument as it is published: some 40 instruments (the worker's,
    /// Npgsql's, ASP.NET Core's and Kestrel's) made the worker allocate and fault in megabytes at start, a garbage
    /// collection with them. The busiest metric here, the API's request duration by route, method and status
    /// code, has at most a few hundred.
    /// </summary>
    public const int SeriesPerMetric = 500;

    /// <param name="serviceName">service.name of every span and metric, e.g. x402-indexer.</param>
    /// <param name="meters">The process's own meters.</param>
    /// <param name="activitySources">The process's own activity sources.</param>
    /// <param name="traceSql">A span per SQL command (Npgsql's), for a process whose commands answer requests; the worker's own spans say more.</param>
    public static IServiceCollection AddServiceTelemetry(
        this IServiceCollection services, IConfiguration configuration, string serviceName, string[] meters, string[] activitySources, bool traceSql)
    {
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithMetrics(metrics => metrics
                .AddMeter(meters)
                .AddAspNetCoreInstrumentation()
                .AddNpgsqlInstrumentation()
                .AddView(_ => new MetricStreamConfiguration { CardinalityLimit = SeriesPerMetric })
                .AddPrometheusExporter());
        if (!string.IsNullOrWhiteSpace(configuration[OtlpEndpointSetting]))
        {
            telemetry.WithTracing(tracing =>
            {
                tracing.AddSource(activitySources)
                    .AddAspNetCoreInstrumentation(aspNetCore => aspNetCore.Filter = context => !IsOperational(context.Request.Path))
                    .AddOtlpExporter();
                if (traceSql)
                {
                    tracing.AddNpgsql();
                }
            });
        }

        return services;
    }

    /// <summary>Serves <c>/metrics</c>, the scrape endpoint.</summary>
    public static IEndpointConventionBuilder MapMetrics(this WebApplication app) => app.MapPrometheusScrapingEndpoint(MetricsPath);

    /// <summary>Probes and scrapes, every few seconds: a span each would bury the requests worth seeing.</summary>
    private static bool IsOperational(PathString path) => path.StartsWithSegments("/health") || path.StartsWithSegments(MetricsPath);
}
