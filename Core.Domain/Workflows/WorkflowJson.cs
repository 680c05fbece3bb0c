using System.Buffers;
using System.Globalization;
using System.Numerics;
using System.Text.Json;
using Core.Domain.Events;

namespace Core.Domain.Workflows;

/// <summary>
/// The JSON of a workflow's list columns, in the API's shapes: decisions as
/// <c>{approved, reason, timestamp}</c>, settlements as <c>{from, to, amount, timestamp}</c>
/// (amount a decimal string), anomalies as <c>{kind, event, blockNumber, transactionIndex, logIndex, phaseBefore}</c>.
/// Written and read here only, so the worker's rows round-trip exactly.
/// </summary>
public static class WorkflowJson
{
    private const string EmptyArray = "[]";
    private const int InitialBufferBytes = 1024;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? threadBuffer;

    [ThreadStatic]
    private static Utf8JsonWriter? threadWriter;

    public static string WriteDecisions(IReadOnlyList<Decision> decisions) => WriteArray(decisions, static (json, decision) =>
    {
        json.WriteBoolean("approved", decision.Approved);
        json.WriteString("reason", decision.Reason);
        json.WriteNumber("timestamp", decision.Timestamp);
    });

    public static string WriteSettlements(IReadOnlyList<Settlement> settlements) => WriteArray(settlements, static (json, settlement) =>
    {
        json.WriteString("from", settlement.From);
        json.WriteString("to", settlement.To);
        json.WriteString("amount", settlement.Amount.ToString(CultureInfo.InvariantCulture));
        json.WriteNumber("timestamp", settlement.Timestamp);
    });

    public static string WriteAnomalies(IReadOnlyList<Anomaly> anomalies) => WriteArray(anomalies, static (json, anomaly) =>
    {
        json.WriteString("kind", anomaly.Kind.ToName());
        json.WriteString("event", anomaly.Event.ToName());
        json.WriteNumber("blockNumber", anomaly.At.BlockNumber);
        json.WriteNumber("transactionIndex", anomaly.At.TransactionIndex);
        json.WriteNumber("logIndex", anomaly.At.LogIndex);
        if (anomaly.PhaseBefore is { } phase)
        {
            json.WriteString("phaseBefore", phase.ToName());
        }
        else
        {
            json.WriteNull("phaseBefore");
        }
    });

    public static ValueList<Decision> ReadDecisions(string json) => ReadArray(json, static item => new Decision(
        item.GetProperty("approved").GetBoolean(),
        RequiredText(item, "reason"),
        item.GetProperty("timestamp").GetInt64()));

    public static ValueList<Settlement> ReadSettlements(string json) => ReadArray(json, static item => new Settlement(
        RequiredText(item, "from"),
        RequiredText(item, "to"),
        BigInteger.Parse(RequiredText(item, "amount"), NumberStyles.None, CultureInfo.InvariantCulture),
        item.GetProperty("timestamp").GetInt64()));

    public static ValueList<Anomaly> ReadAnomalies(string json) => ReadArray(json, static item =>
    {
        var kindName = RequiredText(item, "kind");
        var eventName = RequiredText(item, "event");
        if (!AnomalyKindNames.TryParse(kindName, out var kind) || !EventTypeNames.TryParse(eventName, out var type))
        {
            throw new FormatException($"Unknown anomaly '{kindName}' or event '{eventName}'.");
        }

        var phaseName = item.GetProperty("phaseBefore").GetString();
        WorkflowPhase? phaseBefore = phaseName is null ? null
            : WorkflowPhaseNames.TryParsePhase(phaseName, out var phase) ? phase
            : throw new FormatException($"Unknown phase '{phaseName}'.");

        var at = new EventPosition(
            item.GetProperty("blockNumber").GetInt64(),
            item.GetProperty("transactionIndex").GetInt32(),
            item.GetProperty("logIndex").GetInt32());
        return new Anomaly(kind, type, at, phaseBefore);
    });

    private static string WriteArray<T>(IReadOnlyList<T> items, Action<Utf8JsonWriter, T> writeFields)
    {
        // Most lists are empty (anomalies nearly always): no writer, no buffer, no new string.
        if (items.Count == 0)
        {
            return EmptyArray;
        }

        // A replay writes every workflow's lists: one buffer and writer a thread, reset for each list, not two objects a list.
        var buffer = threadBuffer ??= new ArrayBufferWriter<byte>(InitialBufferBytes);
        buffer.ResetWrittenCount();
        var json = threadWriter ??= new Utf8JsonWriter(buffer, CanonicalJson.WriterOptions);
        json.Reset(buffer);
        json.WriteStartArray();
        // By index: a foreach through the interface would box the list's enumerator, one allocation a list.
        for (var i = 0; i < items.Count; i++)
        {
            json.WriteStartObject();
            writeFields(json, items[i]);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.Flush();
        return CanonicalJson.Utf8.GetString(buffer.WrittenSpan);
    }

    private static ValueList<T> ReadArray<T>(string json, Func<JsonElement, T> readItem)
    {
        if (json == EmptyArray)
        {
            return ValueList<T>.Empty;
        }

        using var document = JsonDocument.Parse(json);
        return ValueList<T>.From(document.RootElement.EnumerateArray().Select(readItem).ToList());
    }

    private static string RequiredText(JsonElement item, string name) =>
        item.GetProperty(name).GetString() ?? throw new FormatException($"'{name}' is null.");
}
