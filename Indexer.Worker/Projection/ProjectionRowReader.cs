using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Core.Domain.Events;
using Core.Domain.Proofs;
using Core.Domain.Workflows;
using Npgsql;

namespace Indexer.Worker.Projection;

/// <summary>
/// Streams workflow_state as stored, column by column, in ordinal workflow-id order: what the
/// projection hash covers and what verify compares. Unlike <see cref="StoredWorkflowState"/> it keeps
/// the status and settled_total columns as they are instead of deriving them from the other columns.
/// </summary>
internal static class ProjectionRowReader
{
    private const string SelectInOrdinalOrder = """
        SELECT workflow_id, status, phase, initiator, started_at, completed_at, failure_reason,
               first_event_block, first_event_transaction_index, first_event_log_index,
               last_event_block, last_event_transaction_index, last_event_log_index,
               event_count, settled_total::text, decisions::text, settlements::text, anomalies::text
        FROM workflow_state
        ORDER BY workflow_id COLLATE "C"
        """;

    public static async IAsyncEnumerable<ProjectionRow> ReadAsync(
        NpgsqlConnection connection, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(SelectInOrdinalOrder, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return new ProjectionRow(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetInt64(4),
                reader.IsDBNull(5) ? null : reader.GetInt64(5),
                reader.IsDBNull(6) ? null : reader.GetString(6),
                new EventPosition(reader.GetInt64(7), reader.GetInt32(8), reader.GetInt32(9)),
                new EventPosition(reader.GetInt64(10), reader.GetInt32(11), reader.GetInt32(12)),
                reader.GetInt32(13),
                BigInteger.Parse(reader.GetString(14), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture),
                Canonical(reader.GetString(15), json => WorkflowJson.WriteDecisions(WorkflowJson.ReadDecisions(json))),
                Canonical(reader.GetString(16), json => WorkflowJson.WriteSettlements(WorkflowJson.ReadSettlements(json))),
                Canonical(reader.GetString(17), json => WorkflowJson.WriteAnomalies(WorkflowJson.ReadAnomalies(json))));
        }
    }

    /// <summary>
    /// jsonb gives its own text form (key order, spacing), so a list column is read and rewritten in
    /// WorkflowJson's canonical text. A value that text does not fully capture (edited by hand: an
    /// extra key, a wrong type) stays as stored: it then differs from any canonical text, so verify
    /// names the column instead of stopping on it or missing it.
    /// </summary>
    private static string Canonical(string stored, Func<string, string> rewrite)
    {
        try
        {
            var canonical = rewrite(stored);
            return JsonNode.DeepEquals(JsonNode.Parse(stored), JsonNode.Parse(canonical)) ? canonical : stored;
        }
        catch (Exception e) when (e is JsonException or FormatException or KeyNotFoundException or InvalidOperationException)
        {
            return stored;
        }
    }
}
