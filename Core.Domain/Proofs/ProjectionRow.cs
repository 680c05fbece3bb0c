using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Core.Domain.Events;
using Core.Domain.Workflows;

namespace Core.Domain.Proofs;

/// <summary>
/// A workflow_state row column by column, as stored: the one definition of the projection row that the
/// writers, readers, verifier and proofs share (its columns are <see cref="Columns"/>, in table order).
/// Status and settled total are columns of their own, not derived here, so a row whose stored status
/// contradicts its phase still shows (and hashes) as what it is. The JSON columns hold WorkflowJson's canonical text.
/// </summary>
public sealed record ProjectionRow(
    string WorkflowId,
    string Status,
    string Phase,
    string? Initiator,
    long? StartedAt,
    long? CompletedAt,
    string? FailureReason,
    EventPosition FirstEvent,
    EventPosition LastEvent,
    int EventCount,
    BigInteger SettledTotal,
    string Decisions,
    string Settlements,
    string Anomalies)
{
    /// <summary>
    /// The workflow_state columns in table order, each with its value rendered for reports: JSON-quoted
    /// text, plain numbers, or <c>null</c>. Rendering is injective, so equal renderings mean equal values.
    /// </summary>
    public static IReadOnlyList<ProjectionColumn> Columns { get; } =
    [
        new("workflow_id", row => Quote(row.WorkflowId)),
        new("status", row => Quote(row.Status)),
        new("phase", row => Quote(row.Phase)),
        new("initiator", row => Quote(row.Initiator)),
        new("started_at", row => Number(row.StartedAt)),
        new("completed_at", row => Number(row.CompletedAt)),
        new("failure_reason", row => Quote(row.FailureReason)),
        new("first_event_block", row => Number(row.FirstEvent.BlockNumber)),
        new("first_event_transaction_index", row => Number(row.FirstEvent.TransactionIndex)),
        new("first_event_log_index", row => Number(row.FirstEvent.LogIndex)),
        new("last_event_block", row => Number(row.LastEvent.BlockNumber)),
        new("last_event_transaction_index", row => Number(row.LastEvent.TransactionIndex)),
        new("last_event_log_index", row => Number(row.LastEvent.LogIndex)),
        new("event_count", row => Number(row.EventCount)),
        new("settled_total", row => row.SettledTotal.ToString(CultureInfo.InvariantCulture)),
        new("decisions", row => row.Decisions),
        new("settlements", row => row.Settlements),
        new("anomalies", row => row.Anomalies),
    ];

    /// <summary>The row the worker writes for <paramref name="state"/>.</summary>
    public static ProjectionRow Of(WorkflowState state) => new(
        state.WorkflowId,
        state.Status.ToName(),
        state.Phase.ToName(),
        state.Initiator,
        state.StartedAt,
        state.CompletedAt,
        state.FailureReason,
        state.FirstEvent,
        state.LastEvent,
        state.EventCount,
        state.SettledTotal,
        WorkflowJson.WriteDecisions(state.Decisions),
        WorkflowJson.WriteSettlements(state.Settlements),
        WorkflowJson.WriteAnomalies(state.Anomalies));

    /// <summary>The state this row was written for; status and settled total follow from it.</summary>
    /// <exception cref="FormatException">The row was not written by this worker's reducer.</exception>
    /// <exception cref="JsonException">A JSON column is not JSON.</exception>
    public WorkflowState ToState() => new(
        WorkflowId,
        WorkflowPhaseNames.TryParsePhase(Phase, out var phase) ? phase : throw new FormatException($"Unknown phase '{Phase}'."),
        Initiator,
        StartedAt,
        CompletedAt,
        FailureReason,
        FirstEvent,
        LastEvent,
        EventCount,
        WorkflowJson.ReadDecisions(Decisions),
        WorkflowJson.ReadSettlements(Settlements),
        WorkflowJson.ReadAnomalies(Anomalies));

    /// <summary>
    /// The row with its JSON columns in WorkflowJson's canonical text: jsonb gives its own text form (key
    /// order, spacing). A value that text does not fully capture (edited by hand: an extra key, a wrong
    /// type) stays as stored: it then differs from any canonical text, so verify names the column
    /// instead of stopping on it or missing it.
    /// </summary>
    public ProjectionRow WithCanonicalJson() => this with
    {
        Decisions = Canonical(Decisions, json => WorkflowJson.WriteDecisions(WorkflowJson.ReadDecisions(json))),
        Settlements = Canonical(Settlements, json => WorkflowJson.WriteSettlements(WorkflowJson.ReadSettlements(json))),
        Anomalies = Canonical(Anomalies, json => WorkflowJson.WriteAnomalies(WorkflowJson.ReadAnomalies(json))),
    };

    private static string Canonical(string stored, Func<string, string> rewrite)
    {
        try
        {
            var canonical = rewrite(stored);
            return canonical == stored || JsonNode.DeepEquals(JsonNode.Parse(stored), JsonNode.Parse(canonical)) ? canonical : stored;
        }
        catch (Exception e) when (e is JsonException or FormatException or KeyNotFoundException or InvalidOperationException)
        {
            return stored;
        }
    }

    private static string Quote(string? text) =>
        text is null ? "null" : $"\"{JsonEncodedText.Encode(text, CanonicalJson.WriterOptions.Encoder)}\"";

    private static string Number(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "null";
}

/// <param name="Name">The workflow_state column.</param>
/// <param name="Render">The column's value in a row, rendered for reports.</param>
public sealed record ProjectionColumn(string Name, Func<ProjectionRow, string> Render);
