using NUnit.Framework;
using Simulator.Simulation;
using TestSupport;

namespace Indexer.Worker.Tests.Crashes;

/// <summary>
/// Issue 3, part 2: the worker SIGKILLed at many random moments (during replay, backfill and live
/// following) and restarted each time ends with exactly the canonical events and the projection of an
/// uninterrupted run.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class CrashSafetyTests
{
    private const int Kills = 20;

    // The first half of the kills works through the backlog of the pre-simulated chain, the second half follows new blocks.
    private const int BacklogKills = Kills / 2;

    // A quarter of the restarts are killed in their replay, which grows with the log.
    private const double ReplayShare = 0.25;

    private const int Workflows = 150;

    private static readonly TimeSpan MaxKillDelayInReplay = TimeSpan.FromMilliseconds(60);

    [Test]
    public async Task WorkerKilledAtRandomMoments_EndsWithTheCanonicalLogAndTheUninterruptedProjection()
    {
        var random = new Random(402_002);
        await using var anvil = await AnvilNode.StartAsync();
        var deployed = await WorkflowSimulator.RunAsync(
            new SimulationOptions(anvil.RpcUrl, Workflows, Seed: 402_003, WorkflowsPerBlock: 2), CancellationToken.None);
        await anvil.MineAsync(CrashLoop.ConfirmationBlocks);
        var crashed = await ObservedDatabase.CreateAsync();
        await using var loop = await CrashLoop.StartAsync(anvil, deployed, crashed, random);
        // A backfill step averages a tenth of the initial backlog, so the backlog lasts through most of the first half.
        var maxStep = (int)Math.Max(1, await loop.BacklogAsync() / (BacklogKills / 2));

        for (var kill = 0; kill < Kills; kill++)
        {
            if (kill > 0 && random.NextDouble() < ReplayShare)
            {
                await loop.KillDuringReplayAsync(MaxKillDelayInReplay);
            }
            else if (kill < BacklogKills && await loop.BacklogAsync() > 1)
            {
                await loop.KillDuringBackfillAsync(maxStep);
            }
            else
            {
                await loop.KillWhileFollowingAsync();
            }
        }

        await loop.CatchUpAsync();
        await TestContext.Out.WriteLineAsync($"Crash safety: {loop.Tally}");
        var uninterrupted = await Processes.IndexUninterruptedAsync(deployed, loop.LastBlock, CrashLoop.ConfirmationBlocks);

        Assert.Multiple(() =>
        {
            Assert.That(loop.Tally[KillPhase.Replay], Is.Positive, $"some kills must land in replay: {loop.Tally}");
            Assert.That(loop.Tally[KillPhase.Backfill], Is.Positive, $"some kills must land in backfill: {loop.Tally}");
            Assert.That(loop.Tally[KillPhase.Following], Is.Positive, $"some kills must land while following: {loop.Tally}");
        });
        await ExactIndex.AssertEqualsUninterruptedAsync(crashed, uninterrupted, loop.CanonicalEvents);
    }
}
