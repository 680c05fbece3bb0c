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
/// One instance writes the answers of one batch, one after the other, into the same buffer.
/// </summary>
internal sealed class WorkflowDetailJson : IDisposable
{
    // Column numbers of WorkflowQueries.SelectWithTimelines.
    private const int WorkflowId = 0, Status = 1, Phase = 2, Initiator = 3, StartedAt = 4, CompletedAt = 5, FailureReason = 6,
        SettledTotal = 7, Decisions = 8, Settlements = 9, Anomalies = 10, EventType = 11, BlockNumber = 12, TransactionIndex = 13,
        LogIndex = 14, TxHash = 15, TxSender = 16, BlockHash = 17, BlockTimestamp = 18, Payload = 19;

    private readonly ArrayBufferWriter<byte> _buffer = new(4096);
    private readonly Utf8JsonWriter _json;

    /// <param name="options">The writer options of the API's JSON options (their encoder).</param>
    public WorkflowDetailJson(JsonWriterOptions options) => _json = new Utf8JsonWriter(_buffer, options);

    /// <summary>Writes the answer of the workflow on the reader's row, reading on through the rows of its timeline.</summary>
    /// <param name="reader">Positioned on the first row of <paramref name="workflowId"/>; its rows come grouped by workflow.</param>
    /// <param name="workflowId">The id on that row, as the caller read it.</param>
    /// <returns>The answer, and whether the reader now stands on the first row of another workflow (false at the end).</returns>
    public async Task<(byte[] Answer, bool OnNextWorkflow)> WriteAsync(
        NpgsqlDataReader reader, string workflowId, CancellationToken cancellationToken)
    {
        _buffer.ResetWrittenCount();
        _json.Reset();
        bool onNextWorkflow;
        _json.WriteStartObject();
        _json.WriteStartObject("workflow");
        _json.WriteString("workflowId", workflowId);
        _json.WriteString("status", reader.GetString(Status));
        _json.WriteString("phase", reader.GetString(Phase));
        WriteNullableString(_json, "initiator", reader, Initiator);
        WriteNullableNumber(_json, "startedAt", reader, StartedAt);
        WriteNullableNumber(_json, "completedAt", reader, CompletedAt);
        WriteNullableString(_json, "failureReason", reader, FailureReason);
        _json.WriteString("settledTotal", reader.GetString(SettledTotal));
        _json.WriteEndObject();

        var anomalies = reader.GetString(Anomalies);
        WriteItems(_json, "decisions", reader.GetString(Decisions), static (json, decision) =>
        {
            json.WriteBoolean("approved", decision.TryGetProperty("approved", out var approved) && approved.GetBoolean());
            WriteStoredString(json, "reason", decision);
            WriteStoredNumber(json, "timestamp", decision);
        });
        WriteItems(_json, "settlements", reader.GetString(Settlements), static (json, settlement) =>
        {
            WriteStoredString(json, "from", settlement);
            WriteStoredString(json, "to", settlement);
            WriteStoredString(json, "amount", settlement);
            WriteStoredNumber(json, "timestamp", settlement);
        });

        _json.WriteStartArray("events");
        if (!reader.IsDBNull(EventType))
        {
            do
            {
                _json.WriteStartObject();
                _json.WriteString("eventType", reader.GetString(EventType));
                _json.WriteNumber("blockNumber", reader.GetInt64(BlockNumber));
                _json.WriteNumber("transactionIndex", reader.GetInt32(TransactionIndex));
                _json.WriteNumber("logIndex", reader.GetInt32(LogIndex));
                _json.WriteString("txHash", reader.GetString(TxHash));
                WriteNullableString(_json, "txSender", reader, TxSender);
                _json.WriteString("blockHash", reader.GetString(BlockHash));
                _json.WriteNumber("blockTimestamp", reader.GetInt64(BlockTimestamp));
                _json.WritePropertyName("payload");
                using (var payload = JsonDocument.Parse(reader.GetString(Payload)))
                {
                    payload.RootElement.WriteTo(_json);
                }

                _json.WriteEndObject();
            }
            while ((onNextWorkflow = await reader.ReadAsync(cancellationToken)) && reader.GetString(WorkflowId) == workflowId);
        }
        else
        {
            onNextWorkflow = await reader.ReadAsync(cancellationToken);
        }

        _json.WriteEndArray();
        _json.WritePropertyName("anomalies");
        using (var stored = JsonDocument.Parse(anomalies))
        {
            stored.RootElement.WriteTo(_json);
        }

        _json.WriteEndObject();
        _json.Flush();
        return (_buffer.WrittenSpan.ToArray(), onNextWorkflow);
    }

    public void Dispose() => _json.Dispose();

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
