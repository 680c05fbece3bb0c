using NUnit.Framework;
using Simulator.Simulation;
using TestSupport;

namespace Indexer.Worker.Tests.Reorgs;

/// <summary>
/// Reorgs made with evm_snapshot/evm_revert on real anvil: the chain is rolled back to a snapshot
/// and other workflow transactions are mined at the same heights (replacing, dropping and
/// reordering what was there), so every block above the snapshot gets a new hash.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class ReorgTests
{
    [Test]
    public async Task ReorgShallowerThanTheConfirmationWindow_NeverReachesTheDatabase()
    {
        const int confirmationBlocks = 12;
        await using var anvil = await AnvilNode.StartAsync();
        var before = await WorkflowSimulator.RunAsync(new SimulationOptions(anvil.RpcUrl, Workflows: 20, Seed: 11, WorkflowsPerBlock: 4), CancellationToken.None);
        var snapshot = await anvil.SnapshotAsync();
        await WorkflowSimulator.RunAsync(Attached(anvil, before, workflows: 3, seed: 12, perBlock: 3), CancellationToken.None);
        var head = await anvil.BlockNumberAsync();
        Assert.That(head - before.LastBlock, Is.LessThan(confirmationBlocks), "the replaced blocks must stay inside the window");

        var database = await ObservedDatabase.CreateAsync();
        await using var worker = Processes.StartWorker(Processes.WorkerEnvironment(before, database, confirmationBlocks));
        await using var api = await Processes.StartApiAsync(database);
        await Processes.WaitForCatchUpAsync(database, head - confirmationBlocks, worker);
        var statsBefore = (await api.GetJsonAsync("/stats")).GetRawText();
        var logBefore = await database.EventLogAsync();

        await anvil.RevertAsync(snapshot);
        await Assert.MultipleAsync(async () =>
        {
            Assert.That((await api.GetJsonAsync("/stats")).GetRawText(), Is.EqualTo(statsBefore));
            Assert.That(await database.EventLogAsync(), Is.EqualTo(logBefore));
        });

        var after = await WorkflowSimulator.RunAsync(Attached(anvil, before, workflows: 12, seed: 13, perBlock: 2), CancellationToken.None);
        await anvil.MineAsync(confirmationBlocks);
        await Processes.WaitForCatchUpAsync(database, after.LastBlock, worker);

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(await database.ScalarAsync("SELECT count(*) FROM reorg"), Is.Zero);
            Assert.That(await database.ScalarAsync("SELECT count(*) FROM orphaned_event"), Is.Zero);
            await AssertEqualsAFreshIndexOfTheCanonicalChainAsync(before, database, after.LastBlock, confirmationBlocks);
        });
    }

    [Test]
    public async Task ReorgDeeperThanTheConfirmationWindow_IsRepaired_ToWhatAFreshWorkerIndexes()
    {
        const int confirmationBlocks = 2;
        await using var anvil = await AnvilNode.StartAsync();
        var before = await WorkflowSimulator.RunAsync(new SimulationOptions(anvil.RpcUrl, Workflows: 20, Seed: 21, WorkflowsPerBlock: 4), CancellationToken.None);
        var snapshot = await anvil.SnapshotAsync();
        var replaced = await WorkflowSimulator.RunAsync(Attached(anvil, before, workflows: 16, seed: 22, perBlock: 2), CancellationToken.None);
        await anvil.MineAsync(confirmationBlocks);

        var database = await ObservedDatabase.CreateAsync();
        await using var worker = Processes.StartWorker(Processes.WorkerEnvironment(before, database, confirmationBlocks));
        await Processes.WaitForCatchUpAsync(database, replaced.LastBlock, worker);
        var doomed = await database.ScalarAsync($"SELECT count(*) FROM chain_event WHERE block_number > {before.LastBlock}");
        Assert.That(doomed, Is.GreaterThan(0), "the worker must have ingested blocks the reorg replaces");

        await anvil.RevertAsync(snapshot);
        var after = await WorkflowSimulator.RunAsync(Attached(anvil, before, workflows: 24, seed: 23, perBlock: 2), CancellationToken.None);
        await anvil.MineAsync(confirmationBlocks);
        Assert.That(after.LastBlock, Is.GreaterThan(replaced.LastBlock), "the new chain must outgrow the old one");
        await Eventually.TrueAsync(
            async () => await database.ScalarAsync("SELECT count(*) FROM reorg") > 0 && await database.LastIngestedBlockAsync() >= after.LastBlock,
            Processes.CatchUpTimeout,
            $"the worker should repair the reorg and catch up.\n{worker.Output}");

        await using var api = await Processes.StartApiAsync(database);
        var reorgs = (await api.GetJsonAsync("/status")).GetProperty("reorgs");
        await Assert.MultipleAsync(async () =>
        {
            Assert.That(reorgs.GetProperty("count").GetInt64(), Is.EqualTo(1), "/status reorg counter");
            Assert.That(reorgs.GetProperty("deepest").GetInt64(), Is.EqualTo(await database.ScalarAsync("SELECT depth FROM reorg")), "/status deepest reorg");
            Assert.That(await database.ScalarAsync("SELECT count(*) FROM reorg"), Is.EqualTo(1));
            Assert.That(await database.ScalarAsync("SELECT common_ancestor FROM reorg"), Is.LessThanOrEqualTo(before.LastBlock));
            Assert.That(await database.ScalarAsync("SELECT depth FROM reorg"), Is.GreaterThan(confirmationBlocks));
            Assert.That(await database.ScalarAsync("SELECT count(*) FROM orphaned_event"), Is.EqualTo(doomed));
            Assert.That(worker.Output, Does.Contain("Reorg of depth"));
            await AssertEqualsAFreshIndexOfTheCanonicalChainAsync(before, database, after.LastBlock, confirmationBlocks);
        });
    }

    private static SimulationOptions Attached(AnvilNode anvil, SimulationResult deployed, int workflows, int seed, int perBlock) =>
        new(anvil.RpcUrl, workflows, seed, perBlock, deployed.ContractAddress);

    private static async Task AssertEqualsAFreshIndexOfTheCanonicalChainAsync(
        SimulationResult deployed, ObservedDatabase repaired, long lastBlock, int confirmationBlocks)
    {
        var fresh = await ObservedDatabase.CreateAsync();
        await using (var worker = Processes.StartWorker(Processes.WorkerEnvironment(deployed, fresh, confirmationBlocks)))
        {
            await Processes.WaitForCatchUpAsync(fresh, lastBlock, worker);
        }

        Assert.That(await repaired.EventLogAsync(), Is.EqualTo(await fresh.EventLogAsync()), "event log");
        Assert.That(await repaired.ProjectionAsync(), Is.EqualTo(await fresh.ProjectionAsync()), "projection");
    }
}
