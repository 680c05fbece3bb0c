using System.Numerics;
using Core.Domain.Events;
using Core.Domain.Workflows;

namespace Core.Domain.Proofs;

/// <summary>
/// A workflow_state row column by column, as stored. Status and settled total are columns of their
/// own, not derived here, so a row whose stored status contradicts its phase still shows (and
/// hashes) as what it is. The JSON columns hold WorkflowJson's canonical text.
/// </summary>
public sealed record ProjectionRow(
    string WorkflowId,
    string Status,
    string Phase,
    string? Initiator,
    long? StartedAt,
    long? CompletedAt,
    string? FailureReason,
    EventPosition FirstEvent,
    EventPosition LastEvent,
    int EventCount,
    BigInteger SettledTotal,
    string Decisions,
    string Settlements,
    string Anomalies)
{
    /// <summary>The row the worker writes for <paramref name="state"/>.</summary>
    public static ProjectionRow Of(WorkflowState state) => new(
        state.WorkflowId,
        state.Status.ToName(),
        state.Phase.ToName(),
        state.Initiator,
        state.StartedAt,
        state.CompletedAt,
        state.FailureReason,
        state.FirstEvent,
        state.LastEvent,
        state.EventCount,
        state.SettledTotal,
        WorkflowJson.WriteDecisions(state.Decisions),
        WorkflowJson.WriteSettlements(state.Settlements),
        WorkflowJson.WriteAnomalies(state.Anomalies));
}
