using Core.Domain.Events;

namespace Core.Domain.Workflows;

/// <summary>Why an event did not fit the state machine. Recorded on the workflow, never thrown.</summary>
public enum AnomalyKind
{
    /// <summary>The workflow's WorkflowStarted was never seen (for example it is before BLOCK_START).</summary>
    MissingStart,

    /// <summary>A second WorkflowStarted for a workflow that already started.</summary>
    DuplicateStart,

    /// <summary>An event the workflow's phase does not allow.</summary>
    IllegalTransition,

    /// <summary>An event positioned before one already applied; it is ignored.</summary>
    OutOfOrder,
}

/// <param name="PhaseBefore">The phase the workflow was in; null when there was no state yet.</param>
public sealed record Anomaly(AnomalyKind Kind, EventType Event, EventPosition At, WorkflowPhase? PhaseBefore);

public static class AnomalyKindNames
{
    public static string ToName(this AnomalyKind kind) => kind switch
    {
        AnomalyKind.MissingStart => "missing_start",
        AnomalyKind.DuplicateStart => "duplicate_start",
        AnomalyKind.IllegalTransition => "illegal_transition",
        AnomalyKind.OutOfOrder => "out_of_order",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown anomaly kind."),
    };

    public static bool TryParse(string name, out AnomalyKind kind)
    {
        foreach (var candidate in Enum.GetValues<AnomalyKind>())
        {
            if (candidate.ToName() == name)
            {
                kind = candidate;
                return true;
            }
        }

        kind = default;
        return false;
    }
}
