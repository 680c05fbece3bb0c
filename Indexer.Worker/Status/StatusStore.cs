using Dapper;
using Npgsql;

namespace Indexer.Worker.Status;

/// <summary>
/// Writes what GET /status reads: every worker's row in worker_instance, and the writer's view of
/// the chain and of replay in indexer_status. The API and the worker share nothing but the database.
/// </summary>
public sealed class StatusStore(NpgsqlDataSource database, WorkerInstance instance)
{
    private const string InstanceHeartbeat = """
        INSERT INTO worker_instance (instance_id, role, started_at, heartbeat_at)
        VALUES (@InstanceId, @Role, @StartedAt, now())
        ON CONFLICT (instance_id) DO UPDATE SET role = EXCLUDED.role, heartbeat_at = now()
        """;

    private const string InstanceStopped = """
        UPDATE worker_instance SET role = 'standby', stopped_at = now(), heartbeat_at = now() WHERE instance_id = @InstanceId
        """;

    private const string WriterHeartbeat = """
        UPDATE indexer_status SET heartbeat_at = now(), rpc_circuit = @Circuit WHERE id = 1 AND instance_id = @InstanceId
        """;

    private const string BecameWriter = """
        UPDATE indexer_status
        SET instance_id = @InstanceId, chain_id = @ChainId, worker_started_at = @StartedAt, heartbeat_at = now()
        WHERE id = 1
        """;

    // Guarded like the writer's heartbeat: a writer that just lost the lock must not overwrite its successor's view.
    private const string Chain = """
        UPDATE indexer_status SET chain_head = @Head, confirmed_head = @Confirmed WHERE id = 1 AND instance_id = @InstanceId
        """;

    private const string ReplayStarted = """
        UPDATE indexer_status
        SET replay_state = 'running', replay_events_done = 0, replay_events_total = @Total,
            replay_events_per_second = NULL, replay_started_at = now(), replay_finished_at = NULL
        WHERE id = 1
        """;

    private const string ReplayProgress = """
        UPDATE indexer_status SET replay_events_done = @Done, replay_events_per_second = @Rate WHERE id = 1
        """;

    private const string ReplayFinished = """
        UPDATE indexer_status
        SET replay_state = 'done', replay_events_done = @Done, replay_events_per_second = @Rate, replay_finished_at = now()
        WHERE id = 1
        """;

    private const string ReplayFailed = "UPDATE indexer_status SET replay_state = 'failed' WHERE id = 1";

    /// <summary>This worker stopped cleanly (its writer lock, if it held it, is released already).</summary>
    public Task StoppedAsync(CancellationToken cancellationToken) =>
        Execute(
            connection => connection.ExecuteAsync(InstanceStopped, new { instance.InstanceId, cancellationToken }),
            cancellationToken);

    public async Task HeartbeatAsync(string role, bool isWriter, string circuit, CancellationToken cancellationToken)
    {
        await Execute(
            connection => connection.ExecuteAsync(InstanceHeartbeat, new { instance.InstanceId, Role = role, instance.StartedAt, cancellationToken }),
            cancellationToken);
        if (isWriter)
        {
            await Execute(
                connection => connection.ExecuteAsync(WriterHeartbeat, new { instance.InstanceId, Circuit = circuit, cancellationToken }),
                cancellationToken);
        }
    }

    public Task BecameWriterAsync(CancellationToken cancellationToken) =>
        Execute(
            connection => connection.ExecuteAsync(BecameWriter, new { instance.InstanceId, instance.ChainId, instance.StartedAt, cancellationToken }),
            cancellationToken);

    public Task ChainAsync(long head, long confirmed, CancellationToken cancellationToken) =>
        Execute(
            connection => connection.ExecuteAsync(Chain, new { instance.InstanceId, Head = head, Confirmed = confirmed, cancellationToken }),
            cancellationToken);

    public Task ReplayStartedAsync(long total, CancellationToken cancellationToken) =>
        Execute(
            connection => connection.ExecuteAsync(ReplayStarted, new { Total = total, cancellationToken }),
            cancellationToken);

    public Task ReplayProgressAsync(long done, double rate, CancellationToken cancellationToken) =>
        Execute(
            connection => connection.ExecuteAsync(ReplayProgress, new { Done = done, Rate = rate, cancellationToken }),
            cancellationToken);

    public Task ReplayFinishedAsync(long done, double rate, CancellationToken cancellationToken) =>
        Execute(
            connection => connection.ExecuteAsync(ReplayFinished, new { Done = done, Rate = rate, cancellationToken }),
            cancellationToken);

    public Task ReplayFailedAsync(CancellationToken cancellationToken) =>
        Execute(
            connection => connection.ExecuteAsync(ReplayFailed, new { cancellationToken }),
            cancellationToken);

    // Each caller passes its own statement and parameters (the token among them): Dapper.AOT generates the
    // code of a call at its call site, where the parameters' type is known, and cannot for a plain object.
    private async Task Execute(Func<NpgsqlConnection, Task<int>> command, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await command(connection);
    }
}

/// <summary>Names this worker process in the status tables, so operators can tell which instance writes.</summary>
public sealed record WorkerInstance(string InstanceId, long ChainId, DateTimeOffset StartedAt)
{
    public static WorkerInstance ForThisProcess(long chainId) => new(
        $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}", chainId, DateTimeOffset.UtcNow);
}
