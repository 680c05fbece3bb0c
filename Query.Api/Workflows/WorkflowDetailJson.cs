using System.Buffers;
using System.Text.Json;
using Npgsql;

namespace Query.Api.Workflows;

/// <summary>
/// Writes GET /workflows/{id}'s answer straight from the rows of <see cref="WorkflowQueries"/>, without
/// objects in between. The shape (camelCase, this order):
/// <code>
/// {"workflow":{"workflowId","status","phase","initiator","startedAt","completedAt","failureReason","settledTotal"},
///  "decisions":[{"approved","reason","timestamp"}], "settlements":[{"from","to","amount","timestamp"}],
///  "events":[{"eventType","blockNumber","transactionIndex","logIndex","txHash","txSender","blockHash","blockTimestamp","payload"}],
///  "anomalies":[…as stored]}
/// </code>
/// Strings are escaped with the encoder of the API's JSON options, as every other answer is, stored JSON included.
/// </summary>
internal static class WorkflowDetailJson
{
    // Column numbers of WorkflowQueries.SelectOneWithTimeline.
    private const int WorkflowId = 0, Status = 1, Phase = 2, Initiator = 3, StartedAt = 4, CompletedAt = 5, FailureReason = 6,
        SettledTotal = 7, Decisions = 8, Settlements = 9, Anomalies = 10, EventType = 11, BlockNumber = 12, TransactionIndex = 13,
        LogIndex = 14, TxHash = 15, TxSender = 16, BlockHash = 17, BlockTimestamp = 18, Payload = 19;

    /// <param name="reader">Positioned on the first row.</param>
    /// <param name="options">The writer options of the API's JSON options (their encoder).</param>
    public static async Task<byte[]> WriteAsync(NpgsqlDataReader reader, JsonWriterOptions options, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        await using (var json = new Utf8JsonWriter(buffer, options))
        {
            json.WriteStartObject();
            json.WriteStartObject("workflow");
            json.WriteString("workflowId", reader.GetString(WorkflowId));
            json.WriteString("status", reader.GetString(Status));
            json.WriteString("phase", reader.GetString(Phase));
            WriteNullableString(json, "initiator", reader, Initiator);
            WriteNullableNumber(json, "startedAt", reader, StartedAt);
            WriteNullableNumber(json, "completedAt", reader, CompletedAt);
            WriteNullableString(json, "failureReason", reader, FailureReason);
            json.WriteString("settledTotal", reader.GetString(SettledTotal));
            json.WriteEndObject();

            var anomalies = reader.GetString(Anomalies);
            WriteItems(json, "decisions", reader.GetString(Decisions), static (json, decision) =>
            {
                json.WriteBoolean("approved", decision.TryGetProperty("approved", out var approved) && approved.GetBoolean());
                WriteStoredString(json, "reason", decision);
                WriteStoredNumber(json, "timestamp", decision);
            });
            WriteItems(json, "settlements", reader.GetString(Settlements), static (json, settlement) =>
            {
                WriteStoredString(json, "from", settlement);
                WriteStoredString(json, "to", settlement);
                WriteStoredString(json, "amount", settlement);
                WriteStoredNumber(json, "timestamp", settlement);
            });

            json.WriteStartArray("events");
            if (!reader.IsDBNull(EventType))
            {
                do
                {
                    json.WriteStartObject();
                    json.WriteString("eventType", reader.GetString(EventType));
                    json.WriteNumber("blockNumber", reader.GetInt64(BlockNumber));
                    json.WriteNumber("transactionIndex", reader.GetInt32(TransactionIndex));
                    json.WriteNumber("logIndex", reader.GetInt32(LogIndex));
                    json.WriteString("txHash", reader.GetString(TxHash));
                    WriteNullableString(json, "txSender", reader, TxSender);
                    json.WriteString("blockHash", reader.GetString(BlockHash));
                    json.WriteNumber("blockTimestamp", reader.GetInt64(BlockTimestamp));
                    json.WritePropertyName("payload");
                    using (var payload = JsonDocument.Parse(reader.GetString(Payload)))
                    {
                        payload.RootElement.WriteTo(json);
                    }

                    json.WriteEndObject();
                }
                while (await reader.ReadAsync(cancellationToken));
            }

            json.WriteEndArray();
            json.WritePropertyName("anomalies");
            using (var stored = JsonDocument.Parse(anomalies))
            {
                stored.RootElement.WriteTo(json);
            }

            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>An array of the stored JSON column, each item rewritten with exactly the API's properties.</summary>
    private static void WriteItems(Utf8JsonWriter json, string name, string stored, Action<Utf8JsonWriter, JsonElement> writeProperties)
    {
        using var document = JsonDocument.Parse(stored);
        json.WriteStartArray(name);
        foreach (var item in document.RootElement.EnumerateArray())
        {
            json.WriteStartObject();
            writeProperties(json, item);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void WriteStoredString(Utf8JsonWriter json, string name, JsonElement item)
    {
        if (item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String)
        {
            json.WriteString(name, value.GetString());
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static void WriteStoredNumber(Utf8JsonWriter json, string name, JsonElement item) =>
        json.WriteNumber(name, item.TryGetProperty(name, out var value) ? value.GetInt64() : 0);

    private static void WriteNullableString(Utf8JsonWriter json, string name, NpgsqlDataReader reader, int column)
    {
        if (reader.IsDBNull(column))
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, reader.GetString(column));
        }
    }

    private static void WriteNullableNumber(Utf8JsonWriter json, string name, NpgsqlDataReader reader, int column)
    {
        if (reader.IsDBNull(column))
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteNumber(name, reader.GetInt64(column));
        }
    }
}
