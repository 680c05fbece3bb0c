using NUnit.Framework;
using Simulator.Simulation;
using TestSupport;

namespace Indexer.Worker.Tests.Confirmation;

[TestFixture]
[NonParallelizable]
public sealed class ConfirmationWindowTests
{
    private const int ConfirmationBlocks = 5;

    [Test]
    public async Task EventsInsideTheConfirmationWindow_StayInvisible_UntilEnoughBlocksAreMined()
    {
        await using var anvil = await AnvilNode.StartAsync();
        var chain = await WorkflowSimulator.RunAsync(new SimulationOptions(anvil.RpcUrl, Workflows: 24, Seed: 7, WorkflowsPerBlock: 3), CancellationToken.None);
        var head = await anvil.BlockNumberAsync();
        var confirmedHead = head - ConfirmationBlocks;
        var confirmedEvents = chain.Workflows.SelectMany(workflow => workflow.Events).Count(sent => sent.BlockNumber <= confirmedHead);
        var confirmedWorkflows = chain.Workflows.Count(workflow => workflow.Events[0].BlockNumber <= confirmedHead);
        var allEvents = chain.Workflows.Sum(workflow => workflow.Events.Count);
        Assert.That(confirmedEvents, Is.LessThan(allEvents), "the simulation must leave events inside the window");

        var database = await ObservedDatabase.CreateAsync();
        await using var worker = Processes.StartWorker(Processes.WorkerEnvironment(chain, database, ConfirmationBlocks));
        await using var api = await Processes.StartApiAsync(database);
        await Processes.WaitForCatchUpAsync(database, confirmedHead, worker);

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(await database.LastIngestedBlockAsync(), Is.EqualTo(confirmedHead));
            Assert.That(await database.ScalarAsync("SELECT chain_head FROM indexer_status WHERE id = 1"), Is.EqualTo(head), "the writer reports the head it saw");
            Assert.That(await database.ScalarAsync("SELECT confirmed_head FROM indexer_status WHERE id = 1"), Is.EqualTo(confirmedHead));
            Assert.That(await database.ScalarAsync("SELECT count(*) FROM chain_event"), Is.EqualTo(confirmedEvents));
            Assert.That((await api.GetJsonAsync("/stats")).GetProperty("total").GetInt32(), Is.EqualTo(confirmedWorkflows));
        });

        await anvil.MineAsync(ConfirmationBlocks);
        await Processes.WaitForCatchUpAsync(database, head, worker);

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(await database.ScalarAsync("SELECT count(*) FROM chain_event"), Is.EqualTo(allEvents));
            Assert.That((await api.GetJsonAsync("/stats")).GetProperty("total").GetInt32(), Is.EqualTo(chain.Expected.Total));
        });
    }
}
