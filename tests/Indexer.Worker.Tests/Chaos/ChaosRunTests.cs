using Chaos;
using NUnit.Framework;

namespace Indexer.Worker.Tests.Chaos;

[TestFixture]
[NonParallelizable]
public sealed class ChaosRunTests
{
    [Test]
    public async Task AShortChaosRun_EndsWithExactlyTheCanonicalEventsAndEqualHashes()
    {
        var report = await ChaosRun.RunAsync(new ChaosOptions(TimeSpan.FromSeconds(25), Seed: 7), TestContext.Out, CancellationToken.None);
        await TestContext.Out.WriteLineAsync(report.ToTable());

        Assert.Multiple(() =>
        {
            Assert.That(report.Kills, Is.GreaterThan(0), "kills");
            Assert.That(report.UnexpectedExits, Is.Zero, "workers that exited on their own");
            Assert.That(report.ReorgDepths, Is.Not.Empty, "reorgs");
            Assert.That(report.RpcFaults.Values.Sum(), Is.GreaterThan(0), "RPC faults");
            Assert.That(report.DatabaseRestarts, Is.GreaterThan(0), "database restarts");
            Assert.That(report.EventsStored, Is.EqualTo(report.EventsExpected), "events");
            Assert.That(report.EventLogsEqual, Is.True, "event log");
            Assert.That(report.ProjectionsEqual, Is.True, "projection");
            Assert.That(report.HashesEqual, Is.True, "hashes");
        });
    }
}
