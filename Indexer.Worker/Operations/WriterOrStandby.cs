using Indexer.Worker.SingleWriter;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Indexer.Worker.Operations;

/// <summary>
/// Readiness beside the database check: this worker has started its work as the writer or as a standby
/// waiting for the lock (both are healthy: a standby is what makes a writer's loss short). Never calls the node.
/// </summary>
public sealed class WriterOrStandby(WorkerRole role) : IHealthCheck
{
    public const string Name = "role";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(HealthCheckResult.Healthy(role.Name));
}
