using Simulator.Simulation;

namespace Query.Api.BrowserTests.Support;

/// <summary>What the list must show, worked out from the workflows as the simulator sent them.</summary>
public static class Expected
{
    /// <summary>Newest first: by the position of each workflow's first event, as the API orders the list.</summary>
    public static IReadOnlyList<string> NewestFirst(IEnumerable<SimulatedWorkflow> workflows) => workflows
        .OrderByDescending(workflow => (workflow.Events[0].BlockNumber, workflow.Events[0].TransactionIndex, workflow.Events[0].LogIndex))
        .Select(workflow => workflow.WorkflowId)
        .ToList();

    public static long StartedAt(SimulatedWorkflow workflow) => workflow.Events[0].BlockTimestamp;

    /// <summary>Recipients of the workflow's settlements.</summary>
    public static IEnumerable<string> Payees(SimulatedWorkflow workflow) => workflow.Events
        .Where(sent => sent.EventType == "PAYMENT_EXECUTED" && sent.To is not null)
        .Select(sent => sent.To!.ToLowerInvariant());
}
