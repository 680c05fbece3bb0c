using Core.Domain.Events;
using Core.Domain.Workflows;

namespace Indexer.Worker.Projection;

/// <summary>A workflow_state row as Dapper reads it, and its way back to the domain state.</summary>
internal sealed class StoredWorkflowState
{
    public string WorkflowId { get; init; } = string.Empty;

    public string Phase { get; init; } = string.Empty;

    public string? Initiator { get; init; }

    public long? StartedAt { get; init; }

    public long? CompletedAt { get; init; }

    public string? FailureReason { get; init; }

    public long FirstEventBlock { get; init; }

    public int FirstEventTransactionIndex { get; init; }

    public int FirstEventLogIndex { get; init; }

    public long LastEventBlock { get; init; }

    public int LastEventTransactionIndex { get; init; }

    public int LastEventLogIndex { get; init; }

    public int EventCount { get; init; }

    public string Decisions { get; init; } = "[]";

    public string Settlements { get; init; } = "[]";

    public string Anomalies { get; init; } = "[]";

    /// <exception cref="FormatException">The row was not written by this worker's reducer.</exception>
    public WorkflowState ToState() => new(
        WorkflowId,
        WorkflowPhaseNames.TryParsePhase(Phase, out var phase) ? phase : throw new FormatException($"Unknown phase '{Phase}'."),
        Initiator,
        StartedAt,
        CompletedAt,
        FailureReason,
        new EventPosition(FirstEventBlock, FirstEventTransactionIndex, FirstEventLogIndex),
        new EventPosition(LastEventBlock, LastEventTransactionIndex, LastEventLogIndex),
        EventCount,
        WorkflowJson.ReadDecisions(Decisions),
        WorkflowJson.ReadSettlements(Settlements),
        WorkflowJson.ReadAnomalies(Anomalies));
}
