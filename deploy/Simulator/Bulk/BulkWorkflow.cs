using Simulator.Simulation;

namespace Simulator.Bulk;

/// <summary>A workflow of the bulk mode: its plan, its id once started, and how many of its steps are mined.</summary>
internal sealed class BulkWorkflow(WorkflowPlan plan)
{
    private readonly IReadOnlyList<WorkflowStep> steps = plan.Fate.Steps();
    private int stepsDone;

    public WorkflowPlan Plan { get; } = plan;

    public byte[]? Id { get; set; }

    public bool HasNextStep => stepsDone < steps.Count;

    public WorkflowStep NextStep => steps[stepsDone];

    /// <summary>Events the next step emits: a rejection emits DecisionRecorded and WorkflowFailed.</summary>
    public int NextStepEvents => NextStep == WorkflowStep.Reject ? 2 : 1;

    public void StepMined() => stepsDone++;
}
