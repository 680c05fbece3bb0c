using System.Numerics;

namespace Core.Domain.Events;

/// <summary>
/// A decoded contract event, with only what the reducer needs. Chain metadata that the reducer
/// never reads (transaction and block hashes) stays with the stored row.
/// Addresses and ids are lowercase 0x-prefixed hex; <see cref="Timestamp"/> is the block's
/// timestamp in Unix seconds, the only clock the domain knows.
/// </summary>
public abstract record WorkflowEvent(string WorkflowId, EventPosition Position, long Timestamp)
{
    public abstract EventType Type { get; }
}

public sealed record WorkflowStarted(string WorkflowId, EventPosition Position, long Timestamp, string Initiator)
    : WorkflowEvent(WorkflowId, Position, Timestamp)
{
    public override EventType Type => EventType.WorkflowStarted;
}

public sealed record DecisionRecorded(string WorkflowId, EventPosition Position, long Timestamp, bool Approved, string Reason)
    : WorkflowEvent(WorkflowId, Position, Timestamp)
{
    public override EventType Type => EventType.DecisionRecorded;
}

/// <param name="From">The sender of the transaction that emitted the event.</param>
/// <param name="Amount">Wei; a uint256 on chain, so it may exceed 2^64.</param>
public sealed record PaymentExecuted(string WorkflowId, EventPosition Position, long Timestamp, string From, string To, BigInteger Amount)
    : WorkflowEvent(WorkflowId, Position, Timestamp)
{
    public override EventType Type => EventType.PaymentExecuted;
}

public sealed record WorkflowCompleted(string WorkflowId, EventPosition Position, long Timestamp)
    : WorkflowEvent(WorkflowId, Position, Timestamp)
{
    public override EventType Type => EventType.WorkflowCompleted;
}

public sealed record WorkflowFailed(string WorkflowId, EventPosition Position, long Timestamp, string Reason)
    : WorkflowEvent(WorkflowId, Position, Timestamp)
{
    public override EventType Type => EventType.WorkflowFailed;
}
