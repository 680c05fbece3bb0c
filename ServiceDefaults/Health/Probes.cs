using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ServiceDefaults.Health;

/// <summary>
/// The orchestrator's probes, on ASP.NET Core health checks: <c>/health/live</c> runs the checks tagged
/// <see cref="Live"/> (none: the process answers), <c>/health/ready</c> those tagged <see cref="Ready"/>.
/// 200 while healthy or degraded, 503 when a check is unhealthy.
/// </summary>
public static class Probes
{
    public const string Live = "live";
    public const string Ready = "ready";
    public const string LivePath = "/health/live";
    public const string ReadyPath = "/health/ready";

    public static (RouteHandlerBuilder Live, RouteHandlerBuilder Ready) MapProbes(this IEndpointRouteBuilder app) => (
        app.MapGet(LivePath, (HealthCheckService health, CancellationToken cancellationToken) => AnswerAsync(health, Live, cancellationToken)),
        app.MapGet(ReadyPath, (HealthCheckService health, CancellationToken cancellationToken) => AnswerAsync(health, Ready, cancellationToken)));

    private static async Task<IResult> AnswerAsync(HealthCheckService health, string tag, CancellationToken cancellationToken)
    {
        var report = await health.CheckHealthAsync(check => check.Tags.Contains(tag), cancellationToken);
        var statusCode = report.Status == HealthStatus.Unhealthy ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK;
        return Results.Json(ProbeReport.From(report), ProbeJson.Default.ProbeReport, statusCode: statusCode);
    }
}
