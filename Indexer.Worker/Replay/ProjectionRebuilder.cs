using System.Diagnostics;
using System.Threading.Channels;
using Core.Domain.Projection;
using Core.Domain.Proofs;
using Core.Domain.Workflows;
using Indexer.Worker.EventLog;
using Indexer.Worker.Operations;
using Indexer.Worker.Status;
using Microsoft.Extensions.Logging;
using Migrations.Projection;
using Npgsql;

namespace Indexer.Worker.Replay;

/// <summary>
/// Rebuilds workflow_state from the whole event log without the RPC: streams the log grouped by
/// workflow (so memory holds one workflow at a time, never the log), folds each workflow with the
/// one fold, COPYs the rows into a fresh table, builds its indexes, and swaps it in within one transaction.
/// Reading, folding and rendering the rows run beside the COPY, on another connection, joined by a small
/// bounded channel of batches, so the database reads and writes at the same time and memory stays bounded.
/// The rows are rendered (their JSON columns written) on the reading side: the COPY side was the slower of the
/// two, ending 60 ms after the last event was read on the 31,899-event sparse log.
/// Readers see the old projection until the commit and the new one after it, never a partial one.
/// </summary>
public sealed class ProjectionRebuilder(NpgsqlDataSource database, StatusStore status, ILogger<ProjectionRebuilder> logger)
{
    private const string CountEvents = "SELECT count(*) FROM chain_event";

    // Workflows per batch, and batches waiting for the COPY: what memory holds beyond one workflow. Few: every rendered
    // row still waiting is copied by each collection the fold's garbage triggers. On the sparse benchmark log, 1,024 and
    // 4 kept 0.8 MB alive through each of them, and the collections paused the worker 33-38 ms of a 0.2 s rebuild;
    // 128 and 2, 0.1-0.2 MB and 19-24 ms.
    private const int BatchSize = 128;
    private const int BatchesInFlight = 2;

    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(1);

    /// <param name="writing">The writer's connection, which holds the single-writer lock.</param>
    public async Task<ReplayResult> RebuildAsync(NpgsqlConnection writing, CancellationToken cancellationToken)
    {
        using var span = IndexerTracing.Source.StartActivity("replay");
        var clock = Stopwatch.StartNew();
        var total = await Scalar<long>(writing, CountEvents, cancellationToken);
        await status.ReplayStartedAsync(total, cancellationToken);
        IndexerMetrics.Replay(0, total);
        logger.LogInformation("Replay started: rebuilding workflow_state from {Total} events", total);

        if (total == 0)
        {
            // The projection of an empty log is an empty table: emptied in place, not built and swapped in.
            await ProjectionSwap.EmptyLiveAsync(writing, RebuildTable.Name, cancellationToken);
            return await FinishAsync(new ReplayResult(0, 0, clock.Elapsed));
        }

        ReplayResult rebuilt;
        // Only now: a worker starting on an empty log leaves the pool's connection to the status writes, and opens no other.
        // Given back before the status is written, so that write takes it again instead of opening another.
        await using (var reading = await database.OpenConnectionAsync(cancellationToken))
        {
            await LogStream.ReadInIndexOrderAsync(reading, cancellationToken);
            await RebuildTable.CreateAsync(writing, cancellationToken);
            var progress = new ReplayProgress(total, clock, ProgressInterval);
            var batches = Channel.CreateBounded<List<ProjectionRow>>(
                new BoundedChannelOptions(BatchesInFlight) { SingleReader = true, SingleWriter = true });
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var folding = Task.Run(() => StopBothOnFailure(FoldAsync(reading, batches.Writer, progress, ReportAsync, stop.Token), stop), CancellationToken.None);
            var copying = Task.Run(() => StopBothOnFailure(CopyAsync(writing, batches.Reader, stop.Token), stop), CancellationToken.None);
            await Task.WhenAll(folding, copying);

            await RebuildTable.AddIndexesAsync(writing, reading, cancellationToken);
            await ProjectionSwap.SwapInAsync(writing, RebuildTable.Name, cancellationToken);
            rebuilt = new ReplayResult(await folding, await copying, clock.Elapsed);
        }

        return await FinishAsync(rebuilt);

        async Task<ReplayResult> FinishAsync(ReplayResult result)
        {
            span?.SetTag("x402.events", result.Events);
            IndexerMetrics.Replay(result.Events, total);
            span?.SetTag("x402.workflows", result.Workflows);
            await status.ReplayFinishedAsync(result.Events, result.EventsPerSecond, cancellationToken);
            logger.LogInformation(
                "Replay done: {Events} events into {Workflows} workflows in {Seconds:F2} s ({Rate:F0} events/s)",
                result.Events, result.Workflows, result.Elapsed.TotalSeconds, result.EventsPerSecond);
            return result;
        }

        async Task ReportAsync(ReplayProgress tracker, CancellationToken token)
        {
            await status.ReplayProgressAsync(tracker.Done, tracker.EventsPerSecond, token);
            IndexerMetrics.Replay(tracker.Done, tracker.Total);
            logger.LogInformation("Replay: {Done}/{Total} events ({Rate:F0} events/s)", tracker.Done, tracker.Total, tracker.EventsPerSecond);
        }
    }

    /// <summary>Streams the log grouped by workflow through the fold, handing the states on in batches.</summary>
    /// <returns>How many events were folded.</returns>
    private static async Task<long> FoldAsync(
        NpgsqlConnection reading,
        ChannelWriter<List<ProjectionRow>> batches,
        ReplayProgress progress,
        Func<ReplayProgress, CancellationToken, Task> report,
        CancellationToken cancellationToken)
    {
        try
        {
            var fold = new ProjectionFold();
            var batch = new List<ProjectionRow>(BatchSize);
            await foreach (var @event in LogStream.ReadAsync(reading, LogStream.ByWorkflow, cancellationToken))
            {
                if (fold.Add(@event) is { } finished)
                {
                    batch.Add(ProjectionRow.Of(finished));
                    if (batch.Count == BatchSize)
                    {
                        await batches.WriteAsync(batch, cancellationToken);
                        batch = new List<ProjectionRow>(BatchSize);
                    }
                }

                progress.Advance();
                if (progress.ShouldReport())
                {
                    await report(progress, cancellationToken);
                }
            }

            if (fold.Complete() is { } last)
            {
                batch.Add(ProjectionRow.Of(last));
            }

            await batches.WriteAsync(batch, cancellationToken);
            batches.Complete();
            return progress.Done;
        }
        catch (Exception e)
        {
            batches.Complete(e);
            throw;
        }
    }

    /// <returns>How many rows were written.</returns>
    private static async Task<long> CopyAsync(
        NpgsqlConnection writing, ChannelReader<List<ProjectionRow>> batches, CancellationToken cancellationToken)
    {
        long rows = 0;
        await using var copy = await ProjectionCopy.BeginAsync(writing, RebuildTable.Name, cancellationToken);
        await foreach (var batch in batches.ReadAllAsync(cancellationToken))
        {
            foreach (var row in batch)
            {
                await copy.WriteAsync(row, cancellationToken);
            }

            rows += batch.Count;
        }

        await copy.CompleteAsync(cancellationToken);
        return rows;
    }

    /// <summary>A failure on either side cancels the other, so neither waits for a partner that is gone.</summary>
    private static async Task<T> StopBothOnFailure<T>(Task<T> work, CancellationTokenSource stop)
    {
        try
        {
            return await work;
        }
        catch
        {
            await stop.CancelAsync();
            throw;
        }
    }

    private static async Task<T> Scalar<T>(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}

public sealed record ReplayResult(long Events, long Workflows, TimeSpan Elapsed)
{
    public double EventsPerSecond => Elapsed.TotalSeconds > 0 ? Events / Elapsed.TotalSeconds : Events;
}
