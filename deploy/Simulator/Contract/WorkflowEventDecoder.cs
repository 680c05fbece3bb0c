using System.Numerics;
using Nethereum.ABI.FunctionEncoding;
using Nethereum.ABI.Model;
using Nethereum.Contracts;
using Nethereum.RPC.Eth.DTOs;
using Simulator.Simulation;

namespace Simulator.Contract;

/// <summary>A decoded workflow log and the workflow it belongs to.</summary>
internal sealed record DecodedEvent(string WorkflowId, SimulatedEvent Event);

/// <summary>Turns the contract's logs into <see cref="SimulatedEvent"/>s, by the ABI's event signatures.</summary>
internal sealed class WorkflowEventDecoder(ContractABI abi)
{
    /// <summary>Our event types by the ABI name of their event.</summary>
    internal static readonly Dictionary<string, string> EventTypes = new(StringComparer.Ordinal)
    {
        ["WorkflowStarted"] = "WORKFLOW_STARTED",
        ["DecisionRecorded"] = "DECISION_RECORDED",
        ["PaymentExecuted"] = "PAYMENT_EXECUTED",
        ["WorkflowCompleted"] = "WORKFLOW_COMPLETED",
        ["WorkflowFailed"] = "WORKFLOW_FAILED",
    };

    public DecodedEvent Decode(FilterLog log, TransactionReceipt receipt, long blockTimestamp)
    {
        var eventAbi = abi.Events.SingleOrDefault(candidate => candidate.IsTopicSignatureForEvent(log.Topics[0]))
            ?? throw new InvalidDataException($"Log {log.LogIndex.Value} of {log.TransactionHash} is not an X402Workflow event.");
        var values = eventAbi.DecodeEventDefaultTopics(log).Event;
        var eventType = EventTypes[eventAbi.Name];
        var isPayment = eventType == "PAYMENT_EXECUTED";

        var simulated = new SimulatedEvent(
            eventType,
            (long)log.BlockNumber.Value,
            log.TransactionHash.ToLowerInvariant(),
            (int)log.TransactionIndex.Value,
            (int)log.LogIndex.Value,
            blockTimestamp,
            Approved: OptionalValue<bool>(values, "approved"),
            Reason: Optional<string>(values, "reason"),
            From: isPayment ? receipt.From.ToLowerInvariant() : null,
            To: Optional<string>(values, "to")?.ToLowerInvariant(),
            Amount: OptionalValue<BigInteger>(values, "amount"));
        return new DecodedEvent(
            "0x" + Convert.ToHexStringLower(Required<byte[]>(values, "workflowId")),
            simulated);
    }

    private static T Required<T>(List<ParameterOutput> values, string name) =>
        values.Single(value => value.Parameter.Name == name).Result is T typed
            ? typed
            : throw new InvalidDataException($"Event parameter {name} is not a {typeof(T).Name}.");

    private static T? Optional<T>(List<ParameterOutput> values, string name)
        where T : class =>
        Has(values, name) ? Required<T>(values, name) : null;

    private static T? OptionalValue<T>(List<ParameterOutput> values, string name)
        where T : struct =>
        Has(values, name) ? Required<T>(values, name) : null;

    private static bool Has(List<ParameterOutput> values, string name) =>
        values.Any(value => value.Parameter.Name == name);
}
