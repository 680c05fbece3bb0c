namespace Query.Api.Status;

public static class StatusEndpoints
{
    public static void MapStatus(this IEndpointRouteBuilder app) =>
        app.MapGet("/status", (StatusReader status, CancellationToken cancellationToken) => status.CurrentAsync(cancellationToken));
}

public sealed record IndexerStatus(
    long? ChainId,
    string? ContractAddress,
    long? ChainHead,
    long? ConfirmedHead,
    long? LastIndexedBlock,
    long? LagBlocks,
    long EventCount,
    ReplayStatus Replay,
    WorkerStatus Worker,
    IReadOnlyList<WorkerInstanceStatus> Workers,
    ReorgStatus Reorgs,
    ProofStatus? Proofs,
    ReplicationStatus? Replication);

/// <summary>One worker process: the writer, or a hot standby.</summary>
public sealed record WorkerInstanceStatus(string InstanceId, string Role, DateTime StartedAt, DateTime HeartbeatAt);

/// <summary>Reorgs deeper than the confirmation window that the worker repaired.</summary>
public sealed record ReorgStatus(long Count, int? Deepest, DateTime? LastAt);

public sealed record ReplayStatus(
    string State, long EventsDone, long EventsTotal, double? EventsPerSecond, DateTime? StartedAt, DateTime? FinishedAt);

public sealed record WorkerStatus(string? InstanceId, DateTime? StartedAt, DateTime? HeartbeatAt, double? HeartbeatAgeSeconds, string RpcCircuit);

/// <summary>The worker's latest determinism proof; null before its first computation.</summary>
public sealed record ProofStatus(
    long? CoveredBlock, long EventCount, string EventLogHash, long WorkflowCount, string ProjectionHash, DateTime ComputedAt);

/// <summary>
/// Present when the API reads from a streaming replica (hot standby); null on the primary.
/// </summary>
/// <param name="ReplayLagSeconds">Since the last replayed transaction's commit on the primary: grows while the primary commits nothing.</param>
/// <param name="ReplayLagBytes">WAL received but not yet replayed.</param>
public sealed record ReplicationStatus(double? ReplayLagSeconds, long? ReplayLagBytes);
