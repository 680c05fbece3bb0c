using Microsoft.Extensions.Diagnostics.HealthChecks;
using Migrations.Schema;
using Npgsql;

namespace Query.Api.Health;

/// <summary>Readiness: every migration this build knows is applied, and the projection the API reads exists.</summary>
public sealed class SchemaReady(NpgsqlConnectionStringBuilder connection, NpgsqlDataSource database) : IHealthCheck
{
    public const string Name = "schema";

    private const string ProjectionPresent = "SELECT to_regclass('workflow_state') IS NOT NULL";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            // DbUp reads its journal synchronously; a probe must not hold a request thread for it.
            var pending = await Task.Run(() => new SchemaMigrator(connection).PendingScripts().Count, cancellationToken);
            if (pending > 0)
            {
                return HealthCheckResult.Unhealthy($"{pending} migration(s) pending");
            }

            await using var command = database.CreateCommand(ProjectionPresent);
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
