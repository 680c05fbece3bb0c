using Simulator.Simulation;
using TestSupport;

namespace Indexer.Worker.Tests.Backfill;

/// <summary>
/// One anvil chain with seeded workflows (300 unless a fixture asks for another history), built once for
/// a fixture's tests, its last simulated block confirmed.
/// </summary>
public sealed class SimulatedChain : IAsyncDisposable
{
    public const int Workflows = 300;
    public const int ConfirmationBlocks = 3;

    private SimulatedChain(AnvilNode anvil, SimulationResult result)
    {
        Anvil = anvil;
        Result = result;
    }

    public AnvilNode Anvil { get; }

    public SimulationResult Result { get; }

    public int EventCount => Result.Workflows.Sum(workflow => workflow.Events.Count);

    public static Task<SimulatedChain> StartAsync() => StartAsync(Workflows, seed: 402, workflowsPerBlock: 6);

    public static async Task<SimulatedChain> StartAsync(int workflows, int seed, int workflowsPerBlock)
    {
        var anvil = await AnvilNode.StartAsync();
        var result = await WorkflowSimulator.RunAsync(
            new SimulationOptions(anvil.RpcUrl, workflows, Seed: seed, WorkflowsPerBlock: workflowsPerBlock), CancellationToken.None);

        // Bury the last simulated block under enough confirmations for the worker to take it.
        await anvil.MineAsync(ConfirmationBlocks);
        return new SimulatedChain(anvil, result);
    }

    public ValueTask DisposeAsync() => Anvil.DisposeAsync();
}
