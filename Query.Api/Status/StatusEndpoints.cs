using Dapper;
using Npgsql;

namespace Query.Api.Status;

public static class StatusEndpoints
{
    private const string SelectStatus = """
        SELECT coalesce(s.chain_id, c.chain_id) AS ChainId, s.chain_head AS ChainHead, s.confirmed_head AS ConfirmedHead,
               c.last_block AS LastIndexedBlock, c.start_block AS StartBlock, c.contract_address AS ContractAddress,
               coalesce(c.event_count, 0) AS EventCount,
               s.replay_state AS ReplayState, s.replay_events_done AS ReplayEventsDone,
               s.replay_events_total AS ReplayEventsTotal, s.replay_events_per_second AS ReplayEventsPerSecond,
               s.replay_started_at AS ReplayStartedAt, s.replay_finished_at AS ReplayFinishedAt,
               s.instance_id AS InstanceId, s.worker_started_at AS WorkerStartedAt, s.heartbeat_at AS HeartbeatAt,
               extract(epoch FROM now() - s.heartbeat_at)::double precision AS HeartbeatAgeSeconds,
               s.rpc_circuit AS RpcCircuit,
               p.covered_block AS ProofCoveredBlock, p.event_count AS ProofEventCount,
               p.event_log_hash AS ProofEventLogHash, p.workflow_count AS ProofWorkflowCount,
               p.projection_hash AS ProofProjectionHash, p.computed_at AS ProofComputedAt,
               r.count AS ReorgCount, r.deepest AS DeepestReorg, r.last_at AS LastReorgAt
        FROM indexer_status s
        CROSS JOIN (SELECT count(*) AS count, max(depth) AS deepest, max(detected_at) AS last_at FROM reorg) r
        LEFT JOIN sync_checkpoint c ON c.id = 1
        LEFT JOIN determinism_proof p ON p.id = 1
        WHERE s.id = 1
        """;

    // Every worker seen lately, the writer first: a standby that stopped beating for a minute is gone.
    private const string SelectLiveWorkers = """
        SELECT instance_id AS InstanceId, role AS Role, started_at AS StartedAt, heartbeat_at AS HeartbeatAt
        FROM worker_instance
        WHERE heartbeat_at > now() - interval '1 minute'
        ORDER BY role DESC, instance_id
        """;

    public static void MapStatus(this IEndpointRouteBuilder app) =>
        app.MapGet("/status", async (NpgsqlDataSource database, CancellationToken cancellationToken) =>
        {
            await using var connection = await database.OpenConnectionAsync(cancellationToken);
            var row = await connection.QuerySingleAsync<StatusRow>(new CommandDefinition(SelectStatus, cancellationToken: cancellationToken));
            var workers = await connection.QueryAsync<WorkerInstanceStatus>(new CommandDefinition(SelectLiveWorkers, cancellationToken: cancellationToken));
            return new IndexerStatus(
                row.ChainId,
                row.ContractAddress,
                row.ChainHead,
                row.ConfirmedHead,
                row.LastIndexedBlock,
                row.ConfirmedHead is { } confirmed && row.LastIndexedBlock is { } last ? Math.Max(0, confirmed - last) : null,
                row.EventCount,
                new ReplayStatus(row.ReplayState, row.ReplayEventsDone, row.ReplayEventsTotal, row.ReplayEventsPerSecond, row.ReplayStartedAt, row.ReplayFinishedAt),
                new WorkerStatus(row.InstanceId, row.WorkerStartedAt, row.HeartbeatAt, row.HeartbeatAgeSeconds, row.RpcCircuit),
                workers.AsList(),
                new ReorgStatus(row.ReorgCount, row.DeepestReorg, row.LastReorgAt),
                ProofOf(row));
        });

    /// <summary>The proof columns are all set (by one row of determinism_proof) or all null (none yet).</summary>
    private static ProofStatus? ProofOf(StatusRow row) => row is
    {
        ProofComputedAt: { } computedAt,
        ProofEventCount: { } events,
        ProofEventLogHash: { } eventLogHash,
        ProofWorkflowCount: { } workflows,
        ProofProjectionHash: { } projectionHash,
    }
        ? new ProofStatus(row.ProofCoveredBlock, events, eventLogHash, workflows, projectionHash, computedAt)
        : null;

    private sealed class StatusRow
    {
        public long? ChainId { get; init; }

        public long? ChainHead { get; init; }

        public long? ConfirmedHead { get; init; }

        public long? LastIndexedBlock { get; init; }

        public long? StartBlock { get; init; }

        public string? ContractAddress { get; init; }

        public long EventCount { get; init; }

        public string ReplayState { get; init; } = "pending";

        public long ReplayEventsDone { get; init; }

        public long ReplayEventsTotal { get; init; }

        public double? ReplayEventsPerSecond { get; init; }

        public DateTime? ReplayStartedAt { get; init; }

        public DateTime? ReplayFinishedAt { get; init; }

        public string? InstanceId { get; init; }

        public DateTime? WorkerStartedAt { get; init; }

        public DateTime? HeartbeatAt { get; init; }

        public double? HeartbeatAgeSeconds { get; init; }

        public string RpcCircuit { get; init; } = "closed";

        public long? ProofCoveredBlock { get; init; }

        public long? ProofEventCount { get; init; }

        public string? ProofEventLogHash { get; init; }

        public long? ProofWorkflowCount { get; init; }

        public string? ProofProjectionHash { get; init; }

        public DateTime? ProofComputedAt { get; init; }

        public long ReorgCount { get; init; }

        public int? DeepestReorg { get; init; }

        public DateTime? LastReorgAt { get; init; }
    }
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
    ProofStatus? Proofs);

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
