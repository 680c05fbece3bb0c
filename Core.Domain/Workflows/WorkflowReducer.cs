using Core.Domain.Events;

namespace Core.Domain.Workflows;

/// <summary>
/// The pure reducer: <c>state' = Apply(state, event)</c>. No clock, no IO, no culture.
/// Input that does not fit the state machine becomes an <see cref="Anomaly"/> on the workflow;
/// nothing here throws for anything a chain can emit.
/// </summary>
public static class WorkflowReducer
{
    /// <param name="state">The workflow's state so far, or null if none of its events was seen.</param>
    /// <exception cref="ArgumentException">The event belongs to another workflow (a caller bug, not chain input).</exception>
    public static WorkflowState Apply(WorkflowState? state, WorkflowEvent @event)
    {
        if (state is null)
        {
            return @event is WorkflowStarted started ? Start(started) : StartUnobserved(@event);
        }

        if (!string.Equals(state.WorkflowId, @event.WorkflowId, StringComparison.Ordinal))
        {
            throw new ArgumentException(
                $"Event for workflow {@event.WorkflowId} applied to workflow {state.WorkflowId}.", nameof(@event));
        }

        if (@event.Position == state.LastEvent)
        {
            // The same log delivered twice: applying it again must change nothing.
            return state;
        }

        if (@event.Position < state.LastEvent)
        {
            return state with { Anomalies = state.Anomalies.Add(AnomalyOf(AnomalyKind.OutOfOrder, state, @event)) };
        }

        var next = Transition(state, @event);
        return next with { LastEvent = @event.Position, EventCount = state.EventCount + 1 };
    }

    private static WorkflowState Transition(WorkflowState state, WorkflowEvent @event) => (state.Phase, @event) switch
    {
        (WorkflowPhase.Started, DecisionRecorded { Approved: true } decision) =>
            state with { Phase = WorkflowPhase.Approved, Decisions = state.Decisions.Add(ToDecision(decision)) },

        (WorkflowPhase.Started, DecisionRecorded { Approved: false } decision) =>
            state with
            {
                Phase = WorkflowPhase.Rejected,
                CompletedAt = decision.Timestamp,
                Decisions = state.Decisions.Add(ToDecision(decision)),
            },

        // A rejection emits DecisionRecorded(false) and then WorkflowFailed in the same transaction:
        // the second event explains the rejection, it does not make the workflow "failed".
        (WorkflowPhase.Rejected, WorkflowFailed failed)
            when state.FailureReason is null && failed.Position.IsSameTransactionAs(state.LastEvent) =>
            state with { FailureReason = failed.Reason },

        (WorkflowPhase.Approved, PaymentExecuted payment) =>
            state with { Phase = WorkflowPhase.Settled, Settlements = state.Settlements.Add(ToSettlement(payment)) },

        (WorkflowPhase.Settled, WorkflowCompleted completed) =>
            state with { Phase = WorkflowPhase.Completed, CompletedAt = completed.Timestamp },

        (WorkflowPhase.Started or WorkflowPhase.Approved or WorkflowPhase.Settled, WorkflowFailed failed) =>
            state with { Phase = WorkflowPhase.Failed, CompletedAt = failed.Timestamp, FailureReason = failed.Reason },

        (_, WorkflowStarted) =>
            state with { Anomalies = state.Anomalies.Add(AnomalyOf(AnomalyKind.DuplicateStart, state, @event)) },

        (_, DecisionRecorded or PaymentExecuted or WorkflowCompleted or WorkflowFailed) =>
            state with { Anomalies = state.Anomalies.Add(AnomalyOf(AnomalyKind.IllegalTransition, state, @event)) },

        _ => throw new ArgumentOutOfRangeException(nameof(@event), @event.GetType().Name, "Unknown event record."),
    };

    private static WorkflowState Start(WorkflowStarted started) => new(
        WorkflowId: started.WorkflowId,
        Phase: WorkflowPhase.Started,
        Initiator: started.Initiator,
        StartedAt: started.Timestamp,
        CompletedAt: null,
        FailureReason: null,
        FirstEvent: started.Position,
        LastEvent: started.Position,
        EventCount: 1,
        Decisions: ValueList<Decision>.Empty,
        Settlements: ValueList<Settlement>.Empty,
        Anomalies: ValueList<Anomaly>.Empty);

    /// <summary>
    /// The first event seen is not WorkflowStarted (its start lies before BLOCK_START, or the
    /// emitting contract is not ours). Take the event at its word so the workflow still shows
    /// what the chain says, and flag it.
    /// </summary>
    private static WorkflowState StartUnobserved(WorkflowEvent @event)
    {
        var blank = new WorkflowState(
            WorkflowId: @event.WorkflowId,
            Phase: WorkflowPhase.Started,
            Initiator: null,
            StartedAt: null,
            CompletedAt: null,
            FailureReason: null,
            FirstEvent: @event.Position,
            LastEvent: @event.Position,
            EventCount: 1,
            Decisions: ValueList<Decision>.Empty,
            Settlements: ValueList<Settlement>.Empty,
            Anomalies: ValueList<Anomaly>.Empty.Add(new Anomaly(AnomalyKind.MissingStart, @event.Type, @event.Position, null)));

        return @event switch
        {
            DecisionRecorded decision => blank with
            {
                Phase = decision.Approved ? WorkflowPhase.Approved : WorkflowPhase.Rejected,
                CompletedAt = decision.Approved ? null : decision.Timestamp,
                Decisions = blank.Decisions.Add(ToDecision(decision)),
            },
            PaymentExecuted payment => blank with
            {
                Phase = WorkflowPhase.Settled,
                Settlements = blank.Settlements.Add(ToSettlement(payment)),
            },
            WorkflowCompleted completed => blank with { Phase = WorkflowPhase.Completed, CompletedAt = completed.Timestamp },
            WorkflowFailed failed => blank with
            {
                Phase = WorkflowPhase.Failed,
                CompletedAt = failed.Timestamp,
                FailureReason = failed.Reason,
            },
            WorkflowStarted started => Start(started),
            _ => throw new ArgumentOutOfRangeException(nameof(@event), @event.GetType().Name, "Unknown event record."),
        };
    }

    private static Anomaly AnomalyOf(AnomalyKind kind, WorkflowState state, WorkflowEvent @event) =>
        new(kind, @event.Type, @event.Position, state.Phase);

    private static Decision ToDecision(DecisionRecorded decision) =>
        new(decision.Approved, decision.Reason, decision.Timestamp);

    private static Settlement ToSettlement(PaymentExecuted payment) =>
        new(payment.From, payment.To, payment.Amount, payment.Timestamp);
}
