using System.Numerics;
using Core.Domain.Events;

namespace Core.Domain.Tests;

/// <summary>Builds contract events at a chosen position: <c>Events.Started(id, block, tx, log, timestamp)</c>.</summary>
internal static class Events
{
    public static readonly string WorkflowA = "0x" + new string('a', 64);
    public static readonly string WorkflowB = "0x" + new string('b', 64);
    public static readonly string Initiator = "0x" + new string('1', 40);
    public static readonly string Payer = "0x" + new string('2', 40);
    public static readonly string Payee = "0x" + new string('3', 40);

    /// <summary>2^64 + 1: does not fit a ulong, so any 64-bit shortcut shows.</summary>
    public static readonly BigInteger AboveUInt64 = (BigInteger.One << 64) + 1;

    public static WorkflowStarted Started(string id, long block, int tx, int log, long timestamp, string? initiator = null) =>
        new(id, new EventPosition(block, tx, log), timestamp, initiator ?? Initiator);

    public static DecisionRecorded Decision(string id, long block, int tx, int log, long timestamp, bool approved, string reason) =>
        new(id, new EventPosition(block, tx, log), timestamp, approved, reason);

    public static PaymentExecuted Payment(
        string id, long block, int tx, int log, long timestamp, BigInteger amount, string? from = null, string? to = null) =>
        new(id, new EventPosition(block, tx, log), timestamp, from ?? Payer, to ?? Payee, amount);

    public static WorkflowCompleted Completed(string id, long block, int tx, int log, long timestamp) =>
        new(id, new EventPosition(block, tx, log), timestamp);

    public static WorkflowFailed Failed(string id, long block, int tx, int log, long timestamp, string reason) =>
        new(id, new EventPosition(block, tx, log), timestamp, reason);
}
