using Core.Domain.Events;
using Core.Domain.Workflows;

namespace Core.Domain.Projection;

/// <summary>
/// Folds an ordered event stream over many workflows. The result is keyed by workflow id in
/// ordinal order, so nothing downstream can depend on hash-table iteration order.
/// </summary>
public static class ProjectionFold
{
    public static SortedDictionary<string, WorkflowState> Fold(
        IEnumerable<WorkflowEvent> events,
        IReadOnlyDictionary<string, WorkflowState>? from = null)
    {
        var states = from is null
            ? new SortedDictionary<string, WorkflowState>(StringComparer.Ordinal)
            : new SortedDictionary<string, WorkflowState>(from.ToDictionary(), StringComparer.Ordinal);

        foreach (var @event in events)
        {
            states.TryGetValue(@event.WorkflowId, out var state);
            states[@event.WorkflowId] = WorkflowReducer.Apply(state, @event);
        }

        return states;
    }
}
