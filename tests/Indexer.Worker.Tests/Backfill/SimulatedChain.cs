using Simulator.Simulation;
using TestSupport;

namespace Indexer.Worker.Tests.Backfill;

/// <summary>
/// One anvil chain with 300 seeded workflows, built once for the backfill tests, and the
/// projection an uninterrupted worker derives from it (the reference the other runs must equal).
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

    public static async Task<SimulatedChain> StartAsync()
    {
        var anvil = await AnvilNode.StartAsync();
        var result = await WorkflowSimulator.RunAsync(
            new SimulationOptions(anvil.RpcUrl, Workflows, Seed: 402, WorkflowsPerBlock: 6), CancellationToken.None);

        // Bury the last simulated block under enough confirmations for the worker to take it.
        await anvil.MineAsync(ConfirmationBlocks);
        return new SimulatedChain(anvil, result);
    }

    public ValueTask DisposeAsync() => Anvil.DisposeAsync();
}
