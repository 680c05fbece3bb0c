using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace ServiceDefaults.Health;

/// <summary>Readiness: the database answers <c>SELECT 1</c> within <see cref="Timeout"/>.</summary>
public sealed class DatabaseReachable(NpgsqlDataSource database) : IHealthCheck
{
    public const string Name = "database";
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var probe = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        probe.CancelAfter(Timeout);
        try
        {
            await using var connection = await database.OpenConnectionAsync(probe.Token);
            await using var command = new NpgsqlCommand("SELECT 1", connection);
            await command.ExecuteScalarAsync(probe.Token);
            return HealthCheckResult.Healthy("reachable");
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // The exception's message may name the host, never the password; its type is enough for the probe.
            return HealthCheckResult.Unhealthy($"unreachable ({e.GetType().Name})");
        }
    }
}
