using Dapper;
using Npgsql;

namespace Indexer.Worker.Status;

/// <summary>Writes the worker's own row in indexer_status, which GET /status reads.</summary>
public sealed class StatusStore(NpgsqlDataSource database, WorkerInstance instance)
{
    private const string Started = """
        UPDATE indexer_status
        SET instance_id = @InstanceId, chain_id = @ChainId, worker_started_at = now(), heartbeat_at = now()
        WHERE id = 1
        """;

    private const string Heartbeat = "UPDATE indexer_status SET heartbeat_at = now(), rpc_circuit = @Circuit WHERE id = 1";

    private const string Chain = "UPDATE indexer_status SET chain_head = @Head, confirmed_head = @Confirmed WHERE id = 1";

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

    public Task StartedAsync(long chainId, CancellationToken cancellationToken) =>
        Execute(Started, new { instance.InstanceId, ChainId = chainId }, cancellationToken);

    public Task HeartbeatAsync(string circuit, CancellationToken cancellationToken) =>
        Execute(Heartbeat, new { Circuit = circuit }, cancellationToken);

    public Task ChainAsync(long head, long confirmed, CancellationToken cancellationToken) =>
        Execute(Chain, new { Head = head, Confirmed = confirmed }, cancellationToken);

    public Task ReplayStartedAsync(long total, CancellationToken cancellationToken) =>
        Execute(ReplayStarted, new { Total = total }, cancellationToken);

    public Task ReplayProgressAsync(long done, double rate, CancellationToken cancellationToken) =>
        Execute(ReplayProgress, new { Done = done, Rate = rate }, cancellationToken);

    public Task ReplayFinishedAsync(long done, double rate, CancellationToken cancellationToken) =>
        Execute(ReplayFinished, new { Done = done, Rate = rate }, cancellationToken);

    public Task ReplayFailedAsync(CancellationToken cancellationToken) => Execute(ReplayFailed, null, cancellationToken);

    private async Task Execute(string sql, object? parameters, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken));
    }
}

/// <summary>Names this worker process in the status row, so operators can tell which instance writes.</summary>
public sealed record WorkerInstance(string InstanceId)
{
    public static WorkerInstance ForThisProcess() =>
        new($"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}");
}
