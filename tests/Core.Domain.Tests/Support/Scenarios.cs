using Core.Domain.Events;
using Core.Domain.Workflows;

namespace Core.Domain.Tests;

/// <summary>Legal event sequences of one workflow, and folding them with the reducer.</summary>
internal static class Scenarios
{
    /// <summary>Every block of <see cref="PathTo"/> lies below this one; events placed here come after a path.</summary>
    public const long AfterPath = 20;

    public const string RejectionReason = "too risky";
    public const string FailureReason = "aborted by operator";

    /// <summary>
    /// The legal events that lead workflow <paramref name="id"/> to <paramref name="phase"/>, one block
    /// each from block 10 (timestamp = block × 100), except that a rejection and its WorkflowFailed share
    /// one transaction, as the contract emits them.
    /// </summary>
    public static WorkflowEvent[] PathTo(WorkflowPhase phase, string? id = null)
    {
        var wf = id ?? Events.WorkflowA;
        WorkflowEvent start = Events.Started(wf, 10, 0, 0, 1000);
        WorkflowEvent approval = Events.Decision(wf, 11, 0, 0, 1100, approved: true, "looks good");
        WorkflowEvent payment = Events.Payment(wf, 12, 0, 0, 1200, Events.AboveUInt64);
        return phase switch
        {
            WorkflowPhase.Started => [start],
            WorkflowPhase.Approved => [start, approval],
            WorkflowPhase.Settled => [start, approval, payment],
            WorkflowPhase.Completed => [start, approval, payment, Events.Completed(wf, 13, 0, 0, 1300)],
            WorkflowPhase.Rejected =>
            [
                start,
                Events.Decision(wf, 11, 0, 0, 1100, approved: false, RejectionReason),
                Events.Failed(wf, 11, 0, 1, 1100, RejectionReason),
            ],
            WorkflowPhase.Failed => [start, Events.Failed(wf, 11, 0, 0, 1100, FailureReason)],
            _ => throw new ArgumentOutOfRangeException(nameof(phase), phase, null),
        };
    }

    public static WorkflowState Replay(IEnumerable<WorkflowEvent> events)
    {
        WorkflowState? state = null;
        foreach (var @event in events)
        {
            state = WorkflowReducer.Apply(state, @event);
        }

        return state ?? throw new ArgumentException("No events to replay.", nameof(events));
    }

    public static WorkflowState StateIn(WorkflowPhase phase) => Replay(PathTo(phase));

    public static ValueList<T> ListOf<T>(params T[] items) => ValueList<T>.From(items);
}
