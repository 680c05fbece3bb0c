using Npgsql;

namespace Query.Api.Health;

public static class HealthEndpoints
{
    private static readonly TimeSpan DatabaseProbeTimeout = TimeSpan.FromSeconds(2);

    public static void MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", () => new { status = "ok" });

        app.MapGet("/health/db", async (NpgsqlDataSource database, CancellationToken cancellationToken) =>
        {
            using var probe = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            probe.CancelAfter(DatabaseProbeTimeout);
            try
            {
                await using var connection = await database.OpenConnectionAsync(probe.Token);
                await using var command = new NpgsqlCommand("SELECT 1", connection);
                await command.ExecuteScalarAsync(probe.Token);
                return Results.Ok(new { status = "ok", db = "connected" });
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                return Results.Json(new { status = "error", db = "disconnected" }, statusCode: StatusCodes.Status503ServiceUnavailable);
            }
        });
    }
}
