using Simulator.Contract;

namespace Simulator.Simulation;

/// <summary>A workflow in the making: its plan, how far it got and the events mined so far.</summary>
internal sealed class TrackedWorkflow(WorkflowPlan plan)
{
    private readonly IReadOnlyList<WorkflowStep> steps = plan.Fate.Steps();
    private readonly List<SimulatedEvent> events = [];
    private int stepsDone;

    public WorkflowPlan Plan { get; } = plan;

    /// <summary>Known once the WorkflowStarted log is mined: the contract derives it from the block.</summary>
    public string? Id { get; private set; }

    public bool HasNextStep => stepsDone < steps.Count;

    public WorkflowStep NextStep => steps[stepsDone];

    public string ExpectedStatus => Plan.Fate.ExpectedStatus();

    public void RecordMinedStep(IReadOnlyList<DecodedEvent> stepEvents)
    {
        foreach (var decoded in stepEvents)
        {
            Id ??= decoded.WorkflowId;
            if (decoded.WorkflowId != Id)
            {
                throw new InvalidOperationException($"Step {NextStep} of workflow {Id} emitted an event of workflow {decoded.WorkflowId}.");
            }

            events.Add(decoded.Event);
        }

        stepsDone++;
    }

    public SimulatedWorkflow ToSimulatedWorkflow() => new(
        Id ?? throw new InvalidOperationException("The workflow was never started."),
        Plan.Initiator,
        ExpectedStatus,
        events.ToList());
}
