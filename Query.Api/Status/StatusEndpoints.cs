using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Query.Api.OpenApi;

namespace Query.Api.Status;

public static class StatusEndpoints
{
    public static void MapStatus(this IEndpointRouteBuilder app) =>
        app.MapGet("/status", (StatusReader status, CancellationToken cancellationToken) => status.CurrentAsync(cancellationToken))
            .WithName("getStatus")
            .WithTags("Indexer")
            .WithSummary("The indexer's progress and health")
            .WithDescription("Chain and indexing heights, lag, event count, replay progress, the workers and their heartbeats, the RPC circuit, repaired reorgs and the latest determinism proof.")
            .Produces<IndexerStatus>()
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
}

[Description("What the indexer has done and how it is doing.")]
public sealed record IndexerStatus(
    [property: Description("Chain id of the indexed chain; null before the worker's first start.")] long? ChainId,
    [property: Description("The indexed contract, lowercase; null before the worker's first start."), RegularExpression(ApiText.AddressPattern)]
    string? ContractAddress,
    [property: Description("Latest block the worker saw on the node.")] long? ChainHead,
    [property: Description("chainHead minus CONFIRMATION_BLOCKS: nothing above it is ingested.")] long? ConfirmedHead,
    [property: Description("Last block whose events are in the log.")] long? LastIndexedBlock,
    [property: Description("confirmedHead minus lastIndexedBlock (never negative).")] long? LagBlocks,
    [property: Description("Events in the log.")] long EventCount,
    ReplayStatus Replay,
    WorkerStatus Worker,
    [property: Description("Every worker seen in the last minute, the writer first.")] IReadOnlyList<WorkerInstanceStatus> Workers,
    ReorgStatus Reorgs,
    [property: Description("The latest determinism proof; null before the first.")] ProofStatus? Proofs,
    [property: Description("Set when the API reads from a streaming replica (hot standby); null on the primary.")] ReplicationStatus? Replication);

[Description("One worker process: the writer, or a hot standby.")]
public sealed record WorkerInstanceStatus(
    [property: Description("The worker's instance id.")] string InstanceId,
    [property: Description("writer holds the lock and writes; standby waits to take over."), AllowedValues("writer", "standby")] string Role,
    [property: Description("When the worker started.")] DateTime StartedAt,
    [property: Description("The worker's latest heartbeat.")] DateTime HeartbeatAt);

[Description("Reorgs deeper than the confirmation window that the worker repaired.")]
public sealed record ReorgStatus(
    [property: Description("Reorgs repaired.")] long Count,
    [property: Description("Depth of the deepest, in blocks; null when none.")] int? Deepest,
    [property: Description("When the latest was repaired; null when none.")] DateTime? LastAt);

[Description("Rebuilding the projection from the event log.")]
public sealed record ReplayStatus(
    [property: Description("pending until the first replay, then running, done or failed."), AllowedValues("pending", "running", "done", "failed")] string State,
    [property: Description("Events replayed so far.")] long EventsDone,
    [property: Description("Events to replay.")] long EventsTotal,
    [property: Description("Replay rate; null before it is known.")] double? EventsPerSecond,
    [property: Description("When the latest replay started.")] DateTime? StartedAt,
    [property: Description("When the latest replay finished.")] DateTime? FinishedAt);

[Description("The writer worker.")]
public sealed record WorkerStatus(
    [property: Description("The writer's instance id; null before the first worker.")] string? InstanceId,
    [property: Description("When the writer started.")] DateTime? StartedAt,
    [property: Description("The writer's latest heartbeat.")] DateTime? HeartbeatAt,
    [property: Description("Seconds since that heartbeat, as of this answer.")] double? HeartbeatAgeSeconds,
    [property: Description("State of the writer's RPC circuit breaker."), AllowedValues("closed", "open", "half-open")] string RpcCircuit);

[Description("The worker's latest determinism proof: two hashes anyone can recompute from the log.")]
public sealed record ProofStatus(
    [property: Description("Last block the proof covers.")] long? CoveredBlock,
    [property: Description("Events the proof covers.")] long EventCount,
    [property: Description("Hash of the canonical encoding of the event log."), RegularExpression(ApiText.Bytes32Pattern)] string EventLogHash,
    [property: Description("Workflows in the projection.")] long WorkflowCount,
    [property: Description("Hash of the canonical encoding of the projection."), RegularExpression(ApiText.Bytes32Pattern)] string ProjectionHash,
    [property: Description("When the proof was computed.")] DateTime ComputedAt);

[Description("How far the streaming replica the API reads from is behind its primary.")]
public sealed record ReplicationStatus(
    [property: Description("Seconds since the last replayed transaction committed on the primary (it also grows while the primary commits nothing); null until the standby has replayed one since it started.")]
    double? ReplayLagSeconds,
    [property: Description("WAL received but not yet replayed, in bytes.")] long? ReplayLagBytes);
