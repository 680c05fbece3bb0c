namespace Simulator.Simulation;

/// <summary>What a finite run produced: where, and what an observer must derive from it.</summary>
/// <param name="DeployBlock">The block holding the contract's deployment or, for a given contract, the head before the run; no simulated event is at or below it.</param>
/// <param name="LastBlock">The last block the run mined; every simulated event is at or below it.</param>
/// <param name="Totals">Events per type and the settled total, from the mined events.</param>
public sealed record SimulationResult(
    string RpcUrl,
    long ChainId,
    string ContractAddress,
    long DeployBlock,
    long LastBlock,
    ExpectedCounts Expected,
    IReadOnlyList<SimulatedWorkflow> Workflows,
    ExpectedTotals Totals);

public sealed record ExpectedCounts(int Total, int Running, int Completed, int Failed, int Rejected)
{
    /// <param name="statuses">One expected status per workflow, spelled as the API does.</param>
    internal static ExpectedCounts Of(IReadOnlyCollection<string> statuses)
    {
        int Count(string status) => statuses.Count(candidate => candidate == status);
        return new ExpectedCounts(statuses.Count, Count("running"), Count("completed"), Count("failed"), Count("rejected"));
    }
}

/// <param name="WorkflowId">0x and 64 lowercase hex digits.</param>
/// <param name="Initiator">Lowercase 0x address of the account that started the workflow.</param>
/// <param name="ExpectedStatus">running, completed, failed or rejected, as the API spells it.</param>
/// <param name="Events">The workflow's events as mined, in canonical order (block, transaction index, log index).</param>
public sealed record SimulatedWorkflow(
    string WorkflowId,
    string Initiator,
    string ExpectedStatus,
    IReadOnlyList<SimulatedEvent> Events);

/// <summary>One log as mined. Fields that an event type does not carry are null.</summary>
/// <param name="EventType">WORKFLOW_STARTED, DECISION_RECORDED, PAYMENT_EXECUTED, WORKFLOW_COMPLETED or WORKFLOW_FAILED.</param>
/// <param name="TransactionIndex">Position of the transaction in its block: the middle key of the canonical order.</param>
/// <param name="LogIndex">Index of the log in its block, as the node reports it.</param>
/// <param name="From">For PAYMENT_EXECUTED: the sender of the transaction (the settlement's payer).</param>
/// <param name="To">For PAYMENT_EXECUTED: the recipient.</param>
/// <param name="Amount">For PAYMENT_EXECUTED: wei, may exceed 2^64.</param>
public sealed record SimulatedEvent(
    string EventType,
    long BlockNumber,
    string TxHash,
    int TransactionIndex,
    int LogIndex,
    long BlockTimestamp,
    bool? Approved,
    string? Reason,
    string? From,
    string? To,
    System.Numerics.BigInteger? Amount);
