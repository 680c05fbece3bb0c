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

    // Where column values are read to, as the UTF-8 the rows carry, so that no string is made of them; the
    // anomalies wait in their own buffer while the workflow's events are written.
    private byte[] _text = new byte[1024];
    private byte[] _anomalies = new byte[256];
    private byte[] _workflowId = new byte[66];

    /// <param name="options">The writer options of the API's JSON options (their encoder).</param>
    public WorkflowDetailJson(JsonWriterOptions options) => _json = new Utf8JsonWriter(_buffer, options);

    /// <summary>Writes the answer of the workflow on the reader's row, reading on through the rows of its timeline.</summary>
    /// <param name="reader">Positioned on the row of the workflow <paramref name="workflowId"/>, its events' rows next.</param>
    /// <param name="workflowId">The id on that row, as the caller read it.</param>
    /// <returns>The answer, and whether the reader now stands on a row of another workflow (false at the end).</returns>
    public async Task<(byte[] Answer, bool OnNextRow)> WriteAsync(
        NpgsqlDataReader reader, string workflowId, CancellationToken cancellationToken)
    {
        _buffer.ResetWrittenCount();
        _json.Reset();
        var idLength = Read(reader, WorkflowId, ref _workflowId).Length;
        _json.WriteStartObject();
        _json.WriteStartObject("workflow"u8);
        _json.WriteString("workflowId"u8, workflowId);
        _json.WriteString("status"u8, Text(reader, Status).Span);
        _json.WriteString("phase"u8, Text(reader, Phase).Span);
        WriteNullableText("initiator"u8, reader, Initiator);
        WriteNullableNumber("startedAt"u8, reader, StartedAt);
        WriteNullableNumber("completedAt"u8, reader, CompletedAt);
        WriteNullableText("failureReason"u8, reader, FailureReason);
        _json.WriteString("settledTotal"u8, Text(reader, SettledTotal).Span);
        _json.WriteEndObject();

        var anomalies = Read(reader, Anomalies, ref _anomalies);
        WriteItems("decisions"u8, Text(reader, Decisions), static (json, decision) =>
        {
            json.WriteBoolean("approved"u8, decision.TryGetProperty("approved"u8, out var approved) && approved.GetBoolean());
            WriteStoredString(json, "reason"u8, decision);
            WriteStoredNumber(json, "timestamp"u8, decision);
        });
        WriteItems("settlements"u8, Text(reader, Settlements), static (json, settlement) =>
        {
            WriteStoredString(json, "from"u8, settlement);
            WriteStoredString(json, "to"u8, settlement);
            WriteStoredString(json, "amount"u8, settlement);
            WriteStoredNumber(json, "timestamp"u8, settlement);
        });

        bool onNextRow;
        _json.WriteStartArray("events"u8);
        while ((onNextRow = await reader.ReadAsync(cancellationToken))
               && Text(reader, WorkflowId).Span.SequenceEqual(_workflowId.AsSpan(0, idLength)))
        {
            _json.WriteStartObject();
            _json.WriteString("eventType"u8, Text(reader, EventType).Span);
            _json.WriteNumber("blockNumber"u8, reader.GetInt64(BlockNumber));
            _json.WriteNumber("transactionIndex"u8, reader.GetInt32(TransactionIndex));
            _json.WriteNumber("logIndex"u8, reader.GetInt32(LogIndex));
            _json.WriteString("txHash"u8, Text(reader, TxHash).Span);
            WriteNullableText("txSender"u8, reader, TxSender);
            _json.WriteString("blockHash"u8, Text(reader, BlockHash).Span);
            _json.WriteNumber("blockTimestamp"u8, reader.GetInt64(BlockTimestamp));
            _json.WritePropertyName("payload"u8);
            WriteStoredJson(Text(reader, Payload));
            _json.WriteEndObject();
        }

        _json.WriteEndArray();
        _json.WritePropertyName("anomalies"u8);
        WriteStoredJson(anomalies);
        _json.WriteEndObject();
        _json.Flush();
        return (_buffer.WrittenSpan.ToArray(), onNextRow);
    }

    /// <summary>Whether the reader stands on an event's row rather than a workflow's.</summary>
    public static bool OnEventRow(NpgsqlDataReader reader) => !reader.IsDBNull(EventType);

    public void Dispose() => _json.Dispose();

    /// <summary>A text column's value as UTF-8, valid until the next column is read this way.</summary>
    private ReadOnlyMemory<byte> Text(NpgsqlDataReader reader, int column) => Read(reader, column, ref _text);

    // Every column read as text is text in the statement (JSON and numeric cast to it), and text comes in the
    // database's encoding, UTF-8, so the column's bytes are the UTF-8 of the value.
    private static ReadOnlyMemory<byte> Read(NpgsqlDataReader reader, int column, ref byte[] buffer)
    {
        var length = (int)reader.GetBytes(column, 0, null, 0, 0);
        if (buffer.Length < length)
        {
            buffer = new byte[Math.Max(length, buffer.Length * 2)];
        }

        reader.GetBytes(column, 0, buffer, 0, length);
        return buffer.AsMemory(0, length);
    }

    /// <summary>Stored JSON rewritten through the writer, so its strings are escaped like the rest of the answer.</summary>
    private void WriteStoredJson(ReadOnlyMemory<byte> stored)
    {
        using var document = JsonDocument.Parse(stored);
        document.RootElement.WriteTo(_json);
    }

    /// <summary>An array of the stored JSON column, each item rewritten with exactly the API's properties.</summary>
    private void WriteItems(ReadOnlySpan<byte> name, ReadOnlyMemory<byte> stored, Action<Utf8JsonWriter, JsonElement> writeProperties)
    {
        using var document = JsonDocument.Parse(stored);
        _json.WriteStartArray(name);
        foreach (var item in document.RootElement.EnumerateArray())
        {
            _json.WriteStartObject();
            writeProperties(_json, item);
            _json.WriteEndObject();
        }

        _json.WriteEndArray();
    }

    private static void WriteStoredString(Utf8JsonWriter json, ReadOnlySpan<byte> name, JsonElement item)
    {
        json.WritePropertyName(name);
        if (item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String)
        {
            value.WriteTo(json);
        }
        else
        {
            json.WriteNullValue();
        }
    }

    private static void WriteStoredNumber(Utf8JsonWriter json, ReadOnlySpan<byte> name, JsonElement item) =>
        json.WriteNumber(name, item.TryGetProperty(name, out var value) ? value.GetInt64() : 0);

    private void WriteNullableText(ReadOnlySpan<byte> name, NpgsqlDataReader reader, int column)
    {
        if (reader.IsDBNull(column))
        {
            _json.WriteNull(name);
        }
        else
        {
            _json.WriteString(name, Text(reader, column).Span);
        }
    }

    private void WriteNullableNumber(ReadOnlySpan<byte> name, NpgsqlDataReader reader, int column)
    {
        if (reader.IsDBNull(column))
        {
            _json.WriteNull(name);
        }
        else
        {
            _json.WriteNumber(name, reader.GetInt64(column));
        }
    }
}
