using NUnit.Framework;
using TestSupport;

namespace Indexer.Worker.Tests.DatabaseFaults;

/// <summary>What the worker must do while PostgreSQL is down and once it is back, read from its log.</summary>
public static class WorkerDuringOutage
{
    private const string StoppedWriting = "Stopped writing";
    private const string CannotTakeTheLock = "Cannot take the writer lock";
    private const string Writes = "This worker holds the writer lock and writes";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// It notices the outage, gives up the writer role, and keeps trying to take it back (with growing
    /// pauses, logged on the first failure and every tenth) instead of exiting.
    /// </summary>
    public static async Task AssertStandsByAndRetriesAsync(ChildProcess worker)
    {
        await worker.WaitForLineAsync(line => line.Contains(StoppedWriting, StringComparison.Ordinal), Timeout);
        await Eventually.TrueAsync(
            () => Task.FromResult(Lines(worker, CannotTakeTheLock) >= 1),
            Timeout,
            $"the worker should keep retrying the writer lock while PostgreSQL is down.\n{worker.Output}");
        Assert.That(worker.HasExited, Is.False, $"the worker must not exit while PostgreSQL is down\n{worker.Output}");
    }

    /// <summary>Once PostgreSQL is back, the same process takes the writer role again.</summary>
    public static Task WaitUntilWritingAgainAsync(ChildProcess worker) =>
        Eventually.TrueAsync(
            () => Task.FromResult(Lines(worker, Writes) >= 2),
            Timeout,
            $"the worker should take the writer lock again once PostgreSQL is back.\n{worker.Output}");

    private static int Lines(ChildProcess worker, string containing) =>
        worker.Output.Split('\n').Count(line => line.Contains(containing, StringComparison.Ordinal));
}
