using Simulator.Simulation;
using TestSupport;

namespace Indexer.Worker.Tests.Faults;

/// <summary>
/// One anvil chain of simulated workflows for the fault tests, and the event log and projection a
/// worker derives from it over a faithful connection: what every faulty run must end with exactly.
/// </summary>
public sealed class ReferenceChain : IAsyncDisposable
{
    public const int ConfirmationBlocks = 3;

    // Two new workflows a block spreads 60 workflows over some 40 blocks: several ranges at MAX_BLOCK_RANGE 8.
    private const int Workflows = 60;
    private const int WorkflowsPerBlock = 2;

    private ReferenceChain(AnvilNode anvil, SimulationResult result, IReadOnlyList<string> eventLog, IReadOnlyList<string> projection)
    {
        Anvil = anvil;
        Result = result;
        EventLog = eventLog;
        Projection = projection;
    }

    public AnvilNode Anvil { get; }

    public SimulationResult Result { get; }

    public IReadOnlyList<string> EventLog { get; }

    public IReadOnlyList<string> Projection { get; }

    /// <summary>The head the node reports: the last simulated block buried under the confirmations.</summary>
    public long Head => Result.LastBlock + ConfirmationBlocks;

    public int EventCount => Result.Workflows.Sum(workflow => workflow.Events.Count);

    public long LastEventBlock => Result.Workflows.SelectMany(workflow => workflow.Events).Max(sent => sent.BlockNumber);

    public static async Task<ReferenceChain> StartAsync()
    {
        var anvil = await AnvilNode.StartAsync();
        try
        {
            var result = await WorkflowSimulator.RunAsync(
                new SimulationOptions(anvil.RpcUrl, Workflows, Seed: 403, WorkflowsPerBlock), CancellationToken.None);
            await anvil.MineAsync(ConfirmationBlocks);

            var database = await ObservedDatabase.CreateAsync();
            await using (var worker = Processes.StartWorker(Processes.WorkerEnvironment(result, database, ConfirmationBlocks)))
            {
                await Processes.WaitForCatchUpAsync(database, result.LastBlock, worker);
            }

            return new ReferenceChain(anvil, result, await database.EventLogAsync(), await database.ProjectionAsync());
        }
        catch
        {
            await anvil.DisposeAsync();
            throw;
        }
    }

    public ValueTask DisposeAsync() => Anvil.DisposeAsync();
}
