namespace Core.Domain.Workflows;

/// <summary>Where a workflow is in the on-chain state machine.</summary>
public enum WorkflowPhase
{
    Started,
    Approved,
    Settled,
    Completed,
    Rejected,
    Failed,
}

/// <summary>The status the API reports; several phases are all "running".</summary>
public enum WorkflowStatus
{
    Running,
    Completed,
    Failed,
    Rejected,
}

public static class WorkflowPhaseNames
{
    public static WorkflowStatus ToStatus(this WorkflowPhase phase) => phase switch
    {
        WorkflowPhase.Started or WorkflowPhase.Approved or WorkflowPhase.Settled => WorkflowStatus.Running,
        WorkflowPhase.Completed => WorkflowStatus.Completed,
        WorkflowPhase.Rejected => WorkflowStatus.Rejected,
        WorkflowPhase.Failed => WorkflowStatus.Failed,
        _ => throw new ArgumentOutOfRangeException(nameof(phase), phase, "Unknown phase."),
    };

    public static bool IsTerminal(this WorkflowPhase phase) => phase.ToStatus() != WorkflowStatus.Running;

    /// <summary>Lowercase names, as stored and as the API shows them.</summary>
    public static string ToName(this WorkflowPhase phase) => phase switch
    {
        WorkflowPhase.Started => "started",
        WorkflowPhase.Approved => "approved",
        WorkflowPhase.Settled => "settled",
        WorkflowPhase.Completed => "completed",
        WorkflowPhase.Rejected => "rejected",
        WorkflowPhase.Failed => "failed",
        _ => throw new ArgumentOutOfRangeException(nameof(phase), phase, "Unknown phase."),
    };

    public static string ToName(this WorkflowStatus status) => status switch
    {
        WorkflowStatus.Running => "running",
        WorkflowStatus.Completed => "completed",
        WorkflowStatus.Failed => "failed",
        WorkflowStatus.Rejected => "rejected",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Unknown status."),
    };

    public static bool TryParsePhase(string name, out WorkflowPhase phase)
    {
        foreach (var candidate in Enum.GetValues<WorkflowPhase>())
        {
            if (candidate.ToName() == name)
            {
                phase = candidate;
                return true;
            }
        }

        phase = default;
        return false;
    }
}
