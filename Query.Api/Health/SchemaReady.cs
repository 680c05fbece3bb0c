using Microsoft.Extensions.Diagnostics.HealthChecks;
using Migrations.Schema;
using Npgsql;

namespace Query.Api.Health;

/// <summary>Readiness: every migration this build knows is applied, and the projection the API reads exists.</summary>
public sealed class SchemaReady(NpgsqlDataSource database) : IHealthCheck
{
    public const string Name = "schema";

    private const string ProjectionPresent = "SELECT to_regclass('workflow_state') IS NOT NULL";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var session = await database.OpenConnectionAsync(cancellationToken);
            // The journal is read synchronously; a probe must not hold a request thread for it.
            var pending = await Task.Run(() => SchemaMigrator.PendingScriptNames(session).Count, cancellationToken);
            if (pending > 0)
            {
                return HealthCheckResult.Unhealthy($"{pending} migration(s) pending");
            }

            await using var command = new NpgsqlCommand(ProjectionPresent, session);
            return await command.ExecuteScalarAsync(cancellationToken) is true
                ? HealthCheckResult.Healthy("current, projection present")
                : HealthCheckResult.Unhealthy("the projection workflow_state is missing");
        }
        catch (NpgsqlException e)
        {
            return HealthCheckResult.Unhealthy($"cannot be read ({e.GetType().Name})");
        }
    }
}
