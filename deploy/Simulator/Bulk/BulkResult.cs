using Simulator.Simulation;

namespace Simulator.Bulk;

/// <summary>What a bulk run put on chain, and what an observer must derive from it.</summary>
/// <param name="DeployBlock">The deployment's block (or the head before the run, for a given contract); no event is at or below it.</param>
/// <param name="LastBlock">The last block the run mined; it holds events.</param>
/// <param name="BlocksWithEvents">How many blocks hold at least one event.</param>
public sealed record BulkResult(
    string RpcUrl,
    long ChainId,
    string ContractAddress,
    long DeployBlock,
    long LastBlock,
    int BlocksWithEvents,
    int Transactions,
    ExpectedCounts Expected,
    ExpectedTotals Totals);
