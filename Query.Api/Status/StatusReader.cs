using Dapper;
using Npgsql;
using Query.Api.Caching;

namespace Query.Api.Status;

/// <summary>
/// Reads what /status shows: at most once per CACHE_MAX_STALENESS_MS, shared by every request in
/// between. The status moves without commits of the event log (heartbeats, chain head, replay
/// progress), so it is reused by age, not by data version; the heartbeat's age is brought up to date
/// for each request.
/// </summary>
public sealed class StatusReader
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
               r.count AS ReorgCount, r.deepest AS DeepestReorg, r.last_at AS LastReorgAt,
               pg_is_in_recovery() AS Standby,
               CASE WHEN pg_is_in_recovery()
                    THEN extract(epoch FROM now() - pg_last_xact_replay_timestamp())::double precision END AS ReplayLagSeconds,
               CASE WHEN pg_is_in_recovery()
                    THEN pg_wal_lsn_diff(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn())::bigint END AS ReplayLagBytes
        FROM indexer_status s
        CROSS JOIN (SELECT count(*) AS count, max(depth) AS deepest, max(detected_at) AS last_at FROM reorg) r
        LEFT JOIN sync_checkpoint c ON c.id = 1
        LEFT JOIN determinism_proof p ON p.id = 1
        WHERE s.id = 1
        """;

    // Every worker seen lately, the writer first: a worker that stopped cleanly, or stopped beating for a minute, is gone.
    private const string SelectLiveWorkers = """
        SELECT instance_id AS InstanceId, role AS Role, started_at AS StartedAt, heartbeat_at AS HeartbeatAt
        FROM worker_instance
        WHERE heartbeat_at > now() - interval '1 minute' AND stopped_at IS NULL
        ORDER BY role DESC, instance_id
        """;

    private readonly RecentRead<StatusSnapshot> _recent;
    private readonly TimeProvider _clock;

    public StatusReader(NpgsqlDataSource database, CacheSettings settings, TimeProvider clock, IHostApplicationLifetime lifetime)
    {
        _clock = clock;
        _recent = new RecentRead<StatusSnapshot>(
            cancellationToken => ReadAsync(database, cancellationToken), settings.MaxStaleness, clock, lifetime.ApplicationStopped);
    }

    public async Task<IndexerStatus> CurrentAsync(CancellationToken cancellationToken)
    {
        var snapshot = await _recent.GetAsync(cancellationToken);
        var row = snapshot.Row;
        var heartbeatAge = row.HeartbeatAgeSeconds + _clock.GetElapsedTime(snapshot.ReadStartedAt).TotalSeconds;
        return new IndexerStatus(
            row.ChainId,
            row.ContractAddress,
            row.ChainHead,
            row.ConfirmedHead,
            row.LastIndexedBlock,
            row.ConfirmedHead is { } confirmed && row.LastIndexedBlock is { } last ? Math.Max(0, confirmed - last) : null,
            row.EventCount,
            new ReplayStatus(row.ReplayState, row.ReplayEventsDone, row.ReplayEventsTotal, row.ReplayEventsPerSecond, row.ReplayStartedAt, row.ReplayFinishedAt),
            new WorkerStatus(row.InstanceId, row.WorkerStartedAt, row.HeartbeatAt, heartbeatAge, row.RpcCircuit),
            snapshot.Workers,
            new ReorgStatus(row.ReorgCount, row.DeepestReorg, row.LastReorgAt),
            ProofOf(row),
            row.Standby ? new ReplicationStatus(row.ReplayLagSeconds, row.ReplayLagBytes) : null);
    }

    private async Task<StatusSnapshot> ReadAsync(NpgsqlDataSource database, CancellationToken cancellationToken)
    {
        var startedAt = _clock.GetTimestamp();
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleAsync<StatusRow>(new CommandDefinition(SelectStatus, cancellationToken: cancellationToken));
        var workers = await connection.QueryAsync<WorkerInstanceStatus>(new CommandDefinition(SelectLiveWorkers, cancellationToken: cancellationToken));
        return new StatusSnapshot(row, workers.AsList(), startedAt);
    }

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

    /// <param name="ReadStartedAt">When the read began (<see cref="TimeProvider.GetTimestamp"/>): the database's now() is at or after it.</param>
    private sealed record StatusSnapshot(StatusRow Row, IReadOnlyList<WorkerInstanceStatus> Workers, long ReadStartedAt);

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

        public bool Standby { get; init; }

        public double? ReplayLagSeconds { get; init; }

        public long? ReplayLagBytes { get; init; }
    }
}
