using System.Numerics;
using Core.Domain.Events;

namespace Core.Domain.Workflows;

public sealed record Decision(bool Approved, string Reason, long Timestamp);

public sealed record Settlement(string From, string To, BigInteger Amount, long Timestamp);

/// <summary>
/// The derived state of one workflow: the seed's WorkflowState columns plus what a
/// frontend needs without re-reading the log. Built only by <see cref="WorkflowReducer"/>.
/// </summary>
/// <param name="Initiator">Null when the workflow's start was never observed.</param>
/// <param name="StartedAt">Block timestamp of WorkflowStarted; null when it was never observed.</param>
/// <param name="CompletedAt">Block timestamp of the terminal event (completed, rejected or failed).</param>
/// <param name="FirstEvent">Position of the first event seen; orders the workflow list.</param>
/// <param name="LastEvent">Position of the last event applied; the reducer's ordering guard.</param>
public sealed record WorkflowState(
    string WorkflowId,
    WorkflowPhase Phase,
    string? Initiator,
    long? StartedAt,
    long? CompletedAt,
    string? FailureReason,
    EventPosition FirstEvent,
    EventPosition LastEvent,
    int EventCount,
    ValueList<Decision> Decisions,
    ValueList<Settlement> Settlements,
    ValueList<Anomaly> Anomalies)
{
    public WorkflowStatus Status => Phase.ToStatus();

    public BigInteger SettledTotal
    {
        get
        {
            var total = BigInteger.Zero;
            foreach (var settlement in Settlements)
            {
                total += settlement.Amount;
            }

            return total;
        }
    }
}
