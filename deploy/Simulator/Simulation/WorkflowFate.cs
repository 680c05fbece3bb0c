namespace Simulator.Simulation;

/// <summary>Where a simulated workflow is meant to end up.</summary>
internal enum WorkflowFate
{
    Completed,
    Rejected,
    FailedWhileActive,
    FailedAfterApproval,
    FailedAfterSettlement,
    RunningStarted,
    RunningApproved,
    RunningSettled,
}

/// <summary>One contract call that moves a workflow along.</summary>
internal enum WorkflowStep
{
    Start,
    Approve,
    Reject,
    Pay,
    Complete,
    Fail,
}

internal static class WorkflowFates
{
    public static IReadOnlyList<WorkflowStep> Steps(this WorkflowFate fate) => fate switch
    {
        WorkflowFate.Completed => [WorkflowStep.Start, WorkflowStep.Approve, WorkflowStep.Pay, WorkflowStep.Complete],
        WorkflowFate.Rejected => [WorkflowStep.Start, WorkflowStep.Reject],
        WorkflowFate.FailedWhileActive => [WorkflowStep.Start, WorkflowStep.Fail],
        WorkflowFate.FailedAfterApproval => [WorkflowStep.Start, WorkflowStep.Approve, WorkflowStep.Fail],
        WorkflowFate.FailedAfterSettlement => [WorkflowStep.Start, WorkflowStep.Approve, WorkflowStep.Pay, WorkflowStep.Fail],
        WorkflowFate.RunningStarted => [WorkflowStep.Start],
        WorkflowFate.RunningApproved => [WorkflowStep.Start, WorkflowStep.Approve],
        WorkflowFate.RunningSettled => [WorkflowStep.Start, WorkflowStep.Approve, WorkflowStep.Pay],
        _ => throw new ArgumentOutOfRangeException(nameof(fate), fate, null),
    };

    /// <summary>The status an observer must derive, spelled as the API does.</summary>
    public static string ExpectedStatus(this WorkflowFate fate) => fate switch
    {
        WorkflowFate.Completed => "completed",
        WorkflowFate.Rejected => "rejected",
        WorkflowFate.FailedWhileActive or WorkflowFate.FailedAfterApproval or WorkflowFate.FailedAfterSettlement => "failed",
        WorkflowFate.RunningStarted or WorkflowFate.RunningApproved or WorkflowFate.RunningSettled => "running",
        _ => throw new ArgumentOutOfRangeException(nameof(fate), fate, null),
    };
}
