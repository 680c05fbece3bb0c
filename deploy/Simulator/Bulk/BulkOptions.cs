namespace Simulator.Bulk;

/// <summary>What the bulk mode builds: many workflows per transaction, a target number of events per block.</summary>
/// <param name="RpcUrl">JSON-RPC endpoint of anvil (or any dev chain with unlocked dev accounts). Give it a high block gas limit (anvil --gas-limit) or blocks spill over.</param>
/// <param name="Workflows">How many workflows to start; each reaches its seeded fate.</param>
/// <param name="Seed">Seed of the fates, senders, recipients, amounts and which workflows advance in a block.</param>
/// <param name="EventsPerBlock">About how many events each block holds (new starts fill up what advancing workflows leave).</param>
/// <param name="EmptyBlocksBetween">Empty blocks mined after each block of events (anvil_mine, at once): a sparse chain.</param>
/// <param name="ContractAddress">An already deployed contract to drive; null deploys a fresh one.</param>
public sealed record BulkOptions(
    string RpcUrl,
    int Workflows,
    int Seed,
    int EventsPerBlock = 1460,
    int EmptyBlocksBetween = 0,
    string? ContractAddress = null)
{
    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(RpcUrl);
        ArgumentOutOfRangeException.ThrowIfNegative(Workflows);
        ArgumentOutOfRangeException.ThrowIfLessThan(EventsPerBlock, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(EmptyBlocksBetween);
    }
}
