using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ServiceDefaults.Health;
using ServiceDefaults.Logging;
using ServiceDefaults.Telemetry;

namespace ServiceDefaults;

/// <summary>
/// The two calls every host makes: logging, OpenTelemetry and the shared health checks on the builder; /metrics and the
/// probes on the app. Configuration and start-up errors come first, from <see cref="Startup.ServiceStart"/>.
/// </summary>
public static class ServiceDefaultsSetup
{
    /// <returns>The health checks, for the host to add its own readiness checks (tagged <see cref="Probes.Ready"/>).</returns>
    public static IHealthChecksBuilder AddServiceDefaults(this WebApplicationBuilder builder, ServiceIdentity service)
    {
        builder.Logging.AddServiceLogging(builder.Configuration);
        builder.Services.AddServiceTelemetry(builder.Configuration, service.Name, service.Meters, service.ActivitySources, service.TraceSql);
        return builder.Services.AddServiceHealthChecks();
    }

    /// <summary>
    /// Logging alone, for a one-off command that serves nothing (the worker's replay and verify): no metrics are
    /// scraped from it, and OpenTelemetry's SDK, once loaded, formats a stack trace as the process exits (its
    /// diagnostics watcher stopping), which a short command pays for in its running time.
    /// </summary>
    public static void AddCommandDefaults(this IHostApplicationBuilder builder) => builder.Logging.AddServiceLogging(builder.Configuration);

    /// <returns>The probes' endpoints, for a host that documents them.</returns>
    public static (RouteHandlerBuilder Live, RouteHandlerBuilder Ready) MapServiceDefaults(this WebApplication app)
    {
        app.MapMetrics();
        return app.MapProbes();
    }
}

/// <param name="Name">service.name of every span and metric.</param>
/// <param name="Meters">The process's own meters.</param>
/// <param name="ActivitySources">The process's own activity sources.</param>
/// <param name="TraceSql">A span per SQL command (Npgsql's), for a process whose commands answer requests.</param>
public sealed record ServiceIdentity(string Name, string[] Meters, string[] ActivitySources, bool TraceSql);
