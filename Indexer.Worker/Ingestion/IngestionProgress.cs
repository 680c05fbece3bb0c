using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Indexer.Worker.Ingestion;

/// <summary>Logs blocks/s, events/s and lag at a steady interval, not per batch.</summary>
internal sealed class IngestionProgress(ILogger logger, TimeSpan interval)
{
    private readonly Stopwatch sinceReport = Stopwatch.StartNew();
    private long blocks;
    private long events;
    private long skipped;

    public void Add(CommittedUnit unit)
    {
        blocks += unit.ToBlock - unit.FromBlock + 1;
        events += unit.Events;
        skipped += unit.SkippedLogs;
    }

    public void ReportIfDue(long lastBlock, long head, long confirmedHead)
    {
        var elapsed = sinceReport.Elapsed;
        if (elapsed < interval)
        {
            return;
        }

        logger.LogInformation(
            "Indexed to block {LastBlock} (head {Head}, confirmed {Confirmed}, lag {Lag} blocks): {BlocksPerSecond:F1} blocks/s, {EventsPerSecond:F1} events/s, {Skipped} unknown logs skipped",
            lastBlock,
            head,
            confirmedHead,
            Math.Max(0, confirmedHead - lastBlock),
            blocks / elapsed.TotalSeconds,
            events / elapsed.TotalSeconds,
            skipped);
        blocks = events = skipped = 0;
        sinceReport.Restart();
    }
}
