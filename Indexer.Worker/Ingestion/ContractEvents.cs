using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.Util;

namespace Indexer.Worker.Ingestion;

/// <summary>
/// The topic0 of each of the five events of the X402 workflow contract (DESIGN.md §1). The
/// signatures must match the X402HelloWorld reference contract exactly.
/// </summary>
public static class ContractEvents
{
    /// <summary><c>event WorkflowStarted(bytes32 indexed workflowId, address indexed initiator)</c></summary>
    public static readonly string WorkflowStarted = Topic("WorkflowStarted(bytes32,address)");

    /// <summary><c>event DecisionRecorded(bytes32 indexed workflowId, bool approved, string reason)</c></summary>
    public static readonly string DecisionRecorded = Topic("DecisionRecorded(bytes32,bool,string)");

    /// <summary><c>event PaymentExecuted(bytes32 indexed workflowId, address indexed to, uint256 amount)</c></summary>
    public static readonly string PaymentExecuted = Topic("PaymentExecuted(bytes32,address,uint256)");

    /// <summary><c>event WorkflowCompleted(bytes32 indexed workflowId)</c></summary>
    public static readonly string WorkflowCompleted = Topic("WorkflowCompleted(bytes32)");

    /// <summary><c>event WorkflowFailed(bytes32 indexed workflowId, string reason)</c></summary>
    public static readonly string WorkflowFailed = Topic("WorkflowFailed(bytes32,string)");

    private static string Topic(string signature) => Sha3Keccack.Current.CalculateHash(signature).EnsureHexPrefix().ToLowerInvariant();
}
