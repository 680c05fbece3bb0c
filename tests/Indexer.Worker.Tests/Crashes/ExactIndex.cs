using NUnit.Framework;
using Simulator.Simulation;

namespace Indexer.Worker.Tests.Crashes;

/// <summary>
/// The end every disturbed run (kills, database outages) must come to: each canonical event in the log
/// exactly once, the checkpoint counting them, and log and projection equal to those of a worker that
/// indexed the same chain without interruption.
/// </summary>
public static class ExactIndex
{
    public static int EventCount(SimulationResult simulated) => simulated.Workflows.Sum(workflow => workflow.Events.Count);

    /// <param name="canonicalEvents">How many events the simulator made the contract emit.</param>
    public static async Task AssertEqualsUninterruptedAsync(ObservedDatabase disturbed, ObservedDatabase uninterrupted, int canonicalEvents)
    {
        var rows = await disturbed.ScalarAsync("SELECT count(*) FROM chain_event");
        var distinct = await disturbed.ScalarAsync("SELECT count(DISTINCT (tx_hash, log_index)) FROM chain_event");
        var counted = await disturbed.ScalarAsync("SELECT event_count FROM sync_checkpoint WHERE id = 1");
        var eventLog = await disturbed.EventLogAsync();
        var expectedLog = await uninterrupted.EventLogAsync();
        var projection = await disturbed.ProjectionAsync();
        var expectedProjection = await uninterrupted.ProjectionAsync();

        Assert.Multiple(() =>
        {
            Assert.That(rows, Is.EqualTo(canonicalEvents), "every canonical event is in the log");
            Assert.That(distinct, Is.EqualTo(rows), "no event is in the log twice");
            Assert.That(counted, Is.EqualTo(rows), "the checkpoint's event_count counts the log");
            Assert.That(eventLog, Is.EqualTo(expectedLog), "the event log equals the uninterrupted worker's");
            Assert.That(projection, Is.EqualTo(expectedProjection), "the projection equals the uninterrupted worker's");
        });
    }
}
