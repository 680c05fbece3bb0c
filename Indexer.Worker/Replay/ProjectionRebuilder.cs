using System.Diagnostics;
using Core.Domain.Events;
using Core.Domain.Workflows;
using Indexer.Worker.Projection;
using Indexer.Worker.Status;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace Indexer.Worker.Replay;

/// <summary>
/// Rebuilds workflow_state from the whole event log without the RPC: streams the log grouped by
/// workflow (so memory holds one workflow at a time, never the log), folds each workflow with the
/// reducer, COPYs the rows into a fresh table, and swaps that table in within one transaction.
/// Readers see the old projection until the commit and the new one after it, never a partial one.
/// </summary>
public sealed class ProjectionRebuilder(NpgsqlDataSource database, StatusStore status, ILogger<ProjectionRebuilder> logger)
{
    private const string RebuildTable = "workflow_state_rebuild";

    private const string CountEvents = "SELECT count(*) FROM chain_event";

    private const string PrepareRebuildTable = """
        DROP TABLE IF EXISTS workflow_state_rebuild;
        CREATE TABLE workflow_state_rebuild (LIKE workflow_state INCLUDING ALL);
        """;

    private const string StreamLogByWorkflow = """
        COPY (
            SELECT workflow_id, event_type, payload, block_number, transaction_index, log_index, block_timestamp
            FROM chain_event
            ORDER BY workflow_id, block_number, transaction_index, log_index
        ) TO STDOUT (FORMAT BINARY)
        """;

    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(1);

    /// <param name="writing">The writer's connection, which holds the single-writer lock.</param>
    public async Task<ReplayResult> RebuildAsync(NpgsqlConnection writing, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        await using var reading = await database.OpenConnectionAsync(cancellationToken);

        var total = await Scalar<long>(reading, CountEvents, cancellationToken);
        await status.ReplayStartedAsync(total, cancellationToken);
        logger.LogInformation("Replay started: rebuilding workflow_state from {Total} events", total);

        await Execute(writing, PrepareRebuildTable, cancellationToken);
        var progress = new ReplayProgress(total, clock, ProgressInterval);
        long workflows;
        await using (var log = await reading.BeginBinaryExportAsync(StreamLogByWorkflow, cancellationToken))
        {
            workflows = await WorkflowStateStore.CopyAsync(
                writing, RebuildTable, FoldByWorkflow(log, progress, ReportAsync, cancellationToken), cancellationToken);
        }

        await ProjectionSwap.SwapInAsync(writing, RebuildTable, cancellationToken);
        var result = new ReplayResult(progress.Done, workflows, clock.Elapsed);
        await status.ReplayFinishedAsync(result.Events, result.EventsPerSecond, cancellationToken);
        logger.LogInformation(
            "Replay done: {Events} events into {Workflows} workflows in {Seconds:F2} s ({Rate:F0} events/s)",
            result.Events, result.Workflows, result.Elapsed.TotalSeconds, result.EventsPerSecond);
        return result;

        async Task ReportAsync(ReplayProgress tracker, CancellationToken token)
        {
            await status.ReplayProgressAsync(tracker.Done, tracker.EventsPerSecond, token);
            logger.LogInformation("Replay: {Done}/{Total} events ({Rate:F0} events/s)", tracker.Done, tracker.Total, tracker.EventsPerSecond);
        }
    }

    /// <summary>Reads the log (ordered by workflow, then canonically) and yields each workflow's final state.</summary>
    private static async IAsyncEnumerable<WorkflowState> FoldByWorkflow(
        NpgsqlBinaryExporter log,
        ReplayProgress progress,
        Func<ReplayProgress, CancellationToken, Task> report,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        WorkflowState? current = null;
        while (await log.StartRowAsync(cancellationToken) != -1)
        {
            var @event = await ReadEventAsync(log, cancellationToken);
            if (current is not null && current.WorkflowId != @event.WorkflowId)
            {
                yield return current;
                current = null;
            }

            current = WorkflowReducer.Apply(current, @event);
            progress.Advance();
            if (progress.ShouldReport())
            {
                await report(progress, cancellationToken);
            }
        }

        if (current is not null)
        {
            yield return current;
        }
    }

    private static async Task<WorkflowEvent> ReadEventAsync(NpgsqlBinaryExporter log, CancellationToken cancellationToken)
    {
        var workflowId = await log.ReadAsync<string>(NpgsqlDbType.Varchar, cancellationToken);
        var typeName = await log.ReadAsync<string>(NpgsqlDbType.Text, cancellationToken);
        var payload = await log.ReadAsync<string>(NpgsqlDbType.Jsonb, cancellationToken);
        var position = new EventPosition(
            await log.ReadAsync<long>(NpgsqlDbType.Bigint, cancellationToken),
            await log.ReadAsync<int>(NpgsqlDbType.Integer, cancellationToken),
            await log.ReadAsync<int>(NpgsqlDbType.Integer, cancellationToken));
        var timestamp = await log.ReadAsync<long>(NpgsqlDbType.Bigint, cancellationToken);
        if (!EventTypeNames.TryParse(typeName, out var type))
        {
            throw new InvalidDataException($"The event log holds an unknown event type '{typeName}' at {position}.");
        }

        return EventPayload.Read(type, workflowId, position, timestamp, payload);
    }

    private static async Task<T> Scalar<T>(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static async Task Execute(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

public sealed record ReplayResult(long Events, long Workflows, TimeSpan Elapsed)
{
    public double EventsPerSecond => Elapsed.TotalSeconds > 0 ? Events / Elapsed.TotalSeconds : Events;
}
