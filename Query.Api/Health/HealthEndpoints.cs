using Npgsql;
using ServiceDefaults.Health;

namespace Query.Api.Health;

public static class HealthEndpoints
{
    private static readonly TimeSpan DatabaseProbeTimeout = TimeSpan.FromSeconds(2);

    public static void MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", () => Liveness.Ok)
            .WithName("getHealth")
            .WithTags("Health")
            .WithSummary("Liveness")
            .WithDescription("Answers 200 while the process serves requests, whatever the database's state.");

        app.MapGet("/health/db", async (NpgsqlDataSource database, CancellationToken cancellationToken) =>
        {
            using var probe = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            probe.CancelAfter(DatabaseProbeTimeout);
            try
            {
                await using var connection = await database.OpenConnectionAsync(probe.Token);
                await using var command = new NpgsqlCommand("SELECT 1", connection);
                await command.ExecuteScalarAsync(probe.Token);
                return Results.Ok(DatabaseHealth.Connected);
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                return Results.Json(DatabaseHealth.Disconnected, statusCode: StatusCodes.Status503ServiceUnavailable);
            }
        })
            .WithName("getDatabaseHealth")
            .WithTags("Health")
            .WithSummary("Database reachability")
            .WithDescription($"Opens a connection and runs SELECT 1 within {DatabaseProbeTimeout.TotalSeconds:0} s: 200 when that works, 503 otherwise (and 200 again by itself once the database is back).")
            .Produces<DatabaseHealth>()
            .Produces<DatabaseHealth>(StatusCodes.Status503ServiceUnavailable);
    }

    /// <summary>OpenAPI metadata of the probes ServiceDefaults maps.</summary>
    public static void DocumentProbes(this (RouteHandlerBuilder Live, RouteHandlerBuilder Ready) probes)
    {
        probes.Live.WithName("getLiveness")
            .WithTags("Health")
            .WithSummary("Liveness probe")
            .WithDescription("For an orchestrator's liveness probe: 200 while the process answers; it never touches the database.")
            .Produces<ProbeReport>();
        probes.Ready.WithName("getReadiness")
            .WithTags("Health")
            .WithSummary("Readiness probe")
            .WithDescription(
                $"For an orchestrator's readiness probe: 200 when the database answers within {DatabaseReachable.Timeout.TotalSeconds:0} s, " +
                "every migration is applied and the projection is present; 503 naming the failed check otherwise.")
            .Produces<ProbeReport>()
            .Produces<ProbeReport>(StatusCodes.Status503ServiceUnavailable);
    }
}
