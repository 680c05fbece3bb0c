using Core.Domain.Events;
using Core.Domain.Workflows;

namespace Core.Domain.Projection;

/// <summary>
/// The one fold from events to workflow states: live ingestion, reorg repair, replay and verify all run
/// through it, so the property tests over it cover what production runs. Workflows are independent,
/// so a stream is folded workflow by workflow: events arrive grouped by workflow (each group in
/// canonical order), and a workflow's state is handed out when the next workflow's events begin.
/// Memory holds one workflow at a time, however long the stream.
/// </summary>
/// <param name="startFrom">The state a workflow's events continue from (null: none of its events was seen yet).</param>
public sealed class ProjectionFold(Func<string, WorkflowState?>? startFrom = null)
{
    private string? workflowId;
    private WorkflowState? state;

    /// <summary>
    /// Folds events of many workflows, each workflow's in canonical order and the workflows interleaved
    /// in any way, onto the states they continue from. Keyed in ordinal workflow-id order, so nothing
    /// downstream can depend on hash-table order.
    /// </summary>
    public static SortedDictionary<string, WorkflowState> Fold(
        IEnumerable<WorkflowEvent> events,
        IReadOnlyDictionary<string, WorkflowState>? from = null)
    {
        var states = from is null
            ? new SortedDictionary<string, WorkflowState>(StringComparer.Ordinal)
            : new SortedDictionary<string, WorkflowState>(from.ToDictionary(), StringComparer.Ordinal);

        // Grouping keeps each workflow's events in their order; the order between workflows does not matter.
        var fold = new ProjectionFold(id => states.GetValueOrDefault(id));
        foreach (var @event in events.GroupBy(@event => @event.WorkflowId, StringComparer.Ordinal).SelectMany(group => group))
        {
            if (fold.Add(@event) is { } finished)
            {
                states[finished.WorkflowId] = finished;
            }
        }

        if (fold.Complete() is { } last)
        {
            states[last.WorkflowId] = last;
        }

        return states;
    }

    /// <summary>Folds a stream grouped by workflow into each workflow's state, one workflow at a time.</summary>
    public static async IAsyncEnumerable<WorkflowState> FoldGroupedAsync(
        IAsyncEnumerable<WorkflowEvent> grouped,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var fold = new ProjectionFold();
        await foreach (var @event in grouped.WithCancellation(cancellationToken))
        {
            if (fold.Add(@event) is { } finished)
            {
                yield return finished;
            }
        }

        if (fold.Complete() is { } last)
        {
            yield return last;
        }
    }

    /// <summary>Applies the next event of a stream grouped by workflow.</summary>
    /// <returns>The previous workflow's state when <paramref name="event"/> begins another workflow's events; otherwise null.</returns>
    public WorkflowState? Add(WorkflowEvent @event)
    {
        WorkflowState? finished = null;
        if (!string.Equals(workflowId, @event.WorkflowId, StringComparison.Ordinal))
        {
            finished = state;
            workflowId = @event.WorkflowId;
            state = startFrom?.Invoke(workflowId);
        }

        state = WorkflowReducer.Apply(state, @event);
        return finished;
    }

    /// <summary>Ends the stream.</summary>
    /// <returns>The last workflow's state, or null when no event came since the stream began (or last ended).</returns>
    public WorkflowState? Complete()
    {
        var finished = state;
        workflowId = null;
        state = null;
        return finished;
    }
}
