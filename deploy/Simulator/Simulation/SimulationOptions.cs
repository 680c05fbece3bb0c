namespace Simulator.Simulation;

/// <summary>What to simulate and where.</summary>
/// <param name="RpcUrl">JSON-RPC endpoint of a dev chain that keeps its dev accounts unlocked (anvil).</param>
/// <param name="Workflows">How many workflows a finite run drives to their planned fate; ignored by the continuous mode.</param>
/// <param name="Seed">Seed of the fate mix, senders, recipients, amounts and the order of transactions.</param>
/// <param name="WorkflowsPerBlock">New workflows started per block (at most; the continuous mode draws 0..this).</param>
/// <param name="ContractAddress">An already deployed contract to drive; null deploys a fresh one.</param>
public sealed record SimulationOptions(
    string RpcUrl,
    int Workflows,
    int Seed,
    int WorkflowsPerBlock = 5,
    string? ContractAddress = null)
{
    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(RpcUrl);
        ArgumentOutOfRangeException.ThrowIfNegative(Workflows);
        ArgumentOutOfRangeException.ThrowIfLessThan(WorkflowsPerBlock, 1);
    }
}
