using System.Diagnostics;
using Core.Domain.Events;
using Indexer.Worker.EventLog;
using Indexer.Worker.Projection;
using Indexer.Worker.Status;
using Microsoft.Extensions.Logging;
using Npgsql;

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
        await using (var log = await reading.BeginBinaryExportAsync(LogStream.ByWorkflow, cancellationToken))
        {
            var events = CountedAsync(LogStream.ReadAsync(log, cancellationToken), progress, ReportAsync, cancellationToken);
            workflows = await WorkflowStateStore.CopyAsync(
                writing, RebuildTable, LogStream.FoldByWorkflowAsync(events, cancellationToken), cancellationToken);
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

    /// <summary>Passes the events on, counting them and reporting progress now and then.</summary>
    private static async IAsyncEnumerable<WorkflowEvent> CountedAsync(
        IAsyncEnumerable<WorkflowEvent> events,
        ReplayProgress progress,
        Func<ReplayProgress, CancellationToken, Task> report,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var @event in events.WithCancellation(cancellationToken))
        {
            yield return @event;
            progress.Advance();
            if (progress.ShouldReport())
            {
                await report(progress, cancellationToken);
            }
        }
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
