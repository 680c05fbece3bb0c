using System.Globalization;
using System.Text.Json;
using Core.Domain.Events;

namespace Core.Domain.Proofs;

/// <param name="Column">The workflow_state column.</param>
/// <param name="Stored">The stored value, rendered: JSON-quoted text, plain numbers, or <c>null</c>.</param>
/// <param name="Rebuilt">The value replay derives from the log, rendered the same way.</param>
public sealed record FieldDifference(string Column, string Stored, string Rebuilt);

/// <summary>Names the columns in which a stored row differs from the one the log rebuilds.</summary>
public static class ProjectionRowComparison
{
    private static readonly JsonSerializerOptions QuoteOptions = new() { Encoder = CanonicalJson.WriterOptions.Encoder };

    // Rendering is injective (text is quoted, null is bare), so equal renderings mean equal values.
    private static readonly (string Column, Func<ProjectionRow, string> Render)[] Columns =
    [
        ("workflow_id", row => Quote(row.WorkflowId)),
        ("status", row => Quote(row.Status)),
        ("phase", row => Quote(row.Phase)),
        ("initiator", row => Quote(row.Initiator)),
        ("started_at", row => Number(row.StartedAt)),
        ("completed_at", row => Number(row.CompletedAt)),
        ("failure_reason", row => Quote(row.FailureReason)),
        ("first_event_block", row => Number(row.FirstEvent.BlockNumber)),
        ("first_event_transaction_index", row => Number(row.FirstEvent.TransactionIndex)),
        ("first_event_log_index", row => Number(row.FirstEvent.LogIndex)),
        ("last_event_block", row => Number(row.LastEvent.BlockNumber)),
        ("last_event_transaction_index", row => Number(row.LastEvent.TransactionIndex)),
        ("last_event_log_index", row => Number(row.LastEvent.LogIndex)),
        ("event_count", row => Number(row.EventCount)),
        ("settled_total", row => row.SettledTotal.ToString(CultureInfo.InvariantCulture)),
        ("decisions", row => row.Decisions),
        ("settlements", row => row.Settlements),
        ("anomalies", row => row.Anomalies),
    ];

    public static IReadOnlyList<FieldDifference> Compare(ProjectionRow stored, ProjectionRow rebuilt) =>
    [
        .. Columns
            .Select(column => new FieldDifference(column.Column, column.Render(stored), column.Render(rebuilt)))
            .Where(field => field.Stored != field.Rebuilt),
    ];

    private static string Quote(string? text) => text is null ? "null" : JsonSerializer.Serialize(text, QuoteOptions);

    private static string Number(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "null";
}
