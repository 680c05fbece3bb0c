using Core.Domain.Events;
using Core.Domain.Proofs;
using Core.Domain.Workflows;

namespace Core.Domain.Tests.Proofs;

/// <summary>A fixed tiny input (every event type, two workflows) and the hashes of any input.</summary>
internal static class ProofSamples
{
    /// <summary>Workflow A completes with a payment above 2^64; workflow B is rejected (decision and failure in one transaction).</summary>
    public static readonly WorkflowEvent[] Log =
    [
        Events.Started(Events.WorkflowA, 10, 0, 0, 1000),
        Events.Started(Events.WorkflowB, 10, 1, 0, 1000),
        Events.Decision(Events.WorkflowA, 11, 0, 0, 1100, approved: true, "ok"),
        Events.Decision(Events.WorkflowB, 11, 1, 0, 1100, approved: false, "no – 拒否"),
        Events.Failed(Events.WorkflowB, 11, 1, 1, 1100, "no – 拒否"),
        Events.Payment(Events.WorkflowA, 12, 0, 0, 1200, Events.AboveUInt64),
        Events.Completed(Events.WorkflowA, 13, 0, 0, 1300),
    ];

    public static ProjectionRow RowOfA => ProjectionRow.Of(Scenarios.StateIn(WorkflowPhase.Completed));

    public static string EventLogHashOf(IEnumerable<WorkflowEvent> events)
    {
        using var hash = new EventLogHash();
        foreach (var @event in events)
        {
            hash.Append(@event);
        }

        return hash.Hex;
    }

    public static string ProjectionHashOf(IEnumerable<ProjectionRow> rows)
    {
        using var hash = new ProjectionHash();
        foreach (var row in rows)
        {
            hash.Append(row);
        }

        return hash.Hex;
    }

    public static IEnumerable<ProjectionRow> ProjectionOf(IEnumerable<WorkflowEvent> events) =>
        Core.Domain.Projection.ProjectionFold.Fold(events).Values.Select(ProjectionRow.Of);
}
