using System.Numerics;
using Nethereum.ABI.FunctionEncoding.Attributes;

namespace Indexer.Worker.Ingestion;

// The five events of the X402 workflow contract (DESIGN.md §1), as Nethereum decodes them.
// Their signatures must match the X402HelloWorld reference contract exactly.

[Event("WorkflowStarted")]
public sealed class WorkflowStartedLog : IEventDTO
{
    [Parameter("bytes32", "workflowId", 1, true)]
    public byte[] WorkflowId { get; set; } = [];

    [Parameter("address", "initiator", 2, true)]
    public string Initiator { get; set; } = string.Empty;
}

[Event("DecisionRecorded")]
public sealed class DecisionRecordedLog : IEventDTO
{
    [Parameter("bytes32", "workflowId", 1, true)]
    public byte[] WorkflowId { get; set; } = [];

    [Parameter("bool", "approved", 2, false)]
    public bool Approved { get; set; }

    [Parameter("string", "reason", 3, false)]
    public string Reason { get; set; } = string.Empty;
}

[Event("PaymentExecuted")]
public sealed class PaymentExecutedLog : IEventDTO
{
    [Parameter("bytes32", "workflowId", 1, true)]
    public byte[] WorkflowId { get; set; } = [];

    [Parameter("address", "to", 2, true)]
    public string To { get; set; } = string.Empty;

    [Parameter("uint256", "amount", 3, false)]
    public BigInteger Amount { get; set; }
}

[Event("WorkflowCompleted")]
public sealed class WorkflowCompletedLog : IEventDTO
{
    [Parameter("bytes32", "workflowId", 1, true)]
    public byte[] WorkflowId { get; set; } = [];
}

[Event("WorkflowFailed")]
public sealed class WorkflowFailedLog : IEventDTO
{
    [Parameter("bytes32", "workflowId", 1, true)]
    public byte[] WorkflowId { get; set; } = [];

    [Parameter("string", "reason", 2, false)]
    public string Reason { get; set; } = string.Empty;
}
