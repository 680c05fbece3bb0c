using System.Buffers;
using System.Text;
using System.Text.Json;
using Core.Domain.Events;

namespace Query.Api.Streaming;

/// <summary>
/// One server-sent event, encoded once as UTF-8 and shared by every stream that sends it.
/// Its <see cref="Cursor"/> is its <c>id:</c>: how far a client that received it has got.
/// </summary>
/// <param name="WorkflowId">For a workflow event, the workflow it is about (streams narrowed to one workflow send no others).</param>
public sealed record StreamFrame(StreamFrameKind Kind, StreamCursor Cursor, string? WorkflowId, byte[] Bytes)
{
    private static readonly byte[] KeepAliveBytes = ": keep-alive\n\n"u8.ToArray();

    public static readonly StreamFrame KeepAlive = new(StreamFrameKind.KeepAlive, StreamCursor.BeforeEverything, null, KeepAliveBytes);

    public EventPosition Position => Cursor.Position;

    /// <summary><c>{"workflowId","status","phase","blockNumber","transactionIndex","logIndex"}</c>: the position is the event that changed it.</summary>
    public static StreamFrame Workflow(StreamCursor cursor, WorkflowChange change) =>
        new(StreamFrameKind.Workflow, cursor, change.WorkflowId, Encode("workflow", cursor, json =>
        {
            json.WriteString("workflowId", change.WorkflowId);
            json.WriteString("status", change.Status);
            json.WriteString("phase", change.Phase);
            json.WriteNumber("blockNumber", change.Position.BlockNumber);
            json.WriteNumber("transactionIndex", change.Position.TransactionIndex);
            json.WriteNumber("logIndex", change.Position.LogIndex);
        }));

    /// <summary><c>{"chainHead","confirmedHead","lastIndexedBlock","lag"}</c>, each null while unknown.</summary>
    public static StreamFrame Status(StreamCursor cursor, long? chainHead, long? confirmedHead, long? lastIndexedBlock, long? lag) =>
        new(StreamFrameKind.Status, cursor, null, Encode("status", cursor, json =>
        {
            WriteNumberOrNull(json, "chainHead", chainHead);
            WriteNumberOrNull(json, "confirmedHead", confirmedHead);
            WriteNumberOrNull(json, "lastIndexedBlock", lastIndexedBlock);
            WriteNumberOrNull(json, "lag", lag);
        }));

    /// <summary><c>{"depth","ancestor"}</c>; its id is the end of the common ancestor, where the log continues.</summary>
    public static StreamFrame Reorg(StreamCursor ancestor, int depth) =>
        new(StreamFrameKind.Reorg, ancestor, null, Encode("reorg", ancestor, json =>
        {
            json.WriteNumber("depth", depth);
            json.WriteNumber("ancestor", ancestor.Block);
        }));

    /// <summary><c>{"reason"}</c>: the stream cannot resume where the client asked; it goes on live from <paramref name="cursor"/>.</summary>
    public static StreamFrame Reset(StreamCursor cursor, string reason) =>
        new(StreamFrameKind.Reset, cursor, null, Encode("reset", cursor, json => json.WriteString("reason", reason)));

    private static byte[] Encode(string eventName, StreamCursor cursor, Action<Utf8JsonWriter> writeFields)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        buffer.Write(Encoding.UTF8.GetBytes($"id: {cursor}\nevent: {eventName}\ndata: "));
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            writeFields(json);
            json.WriteEndObject();
        }

        buffer.Write("\n\n"u8);
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteNumberOrNull(Utf8JsonWriter json, string name, long? value)
    {
        if (value is { } number)
        {
            json.WriteNumber(name, number);
        }
        else
        {
            json.WriteNull(name);
        }
    }
}

public enum StreamFrameKind
{
    Workflow,
    Status,
    Reorg,
    Reset,
    KeepAlive,
}

/// <summary>A workflow as it is now, and the position of the event that changed it.</summary>
public sealed record WorkflowChange(string WorkflowId, string Status, string Phase, EventPosition Position);
