using System.Buffers;
using System.Text.Json;

namespace Migrations.Notifications;

/// <summary>
/// What the worker announces with <c>NOTIFY</c> on <see cref="Channel"/>, in the transaction of each commit,
/// so that listeners learn of it exactly when it becomes visible. The payload names the kind of commit and
/// the blocks it covers, never the workflows (a commit may change thousands; a payload holds at most 8000
/// bytes): a listener reads what changed from chain_event and workflow_state itself.
/// Both processes build and read it here, beside the schema, since it is part of the database's contract.
/// </summary>
/// <param name="FromBlock">Range: the first block the commit covers.</param>
/// <param name="ToBlock">Range: the block the checkpoint advanced to.</param>
/// <param name="ReorgId">Reorg: the repair's row in the reorg table.</param>
/// <param name="Ancestor">Reorg: the common ancestor the checkpoint moved back to.</param>
/// <param name="Depth">Reorg: how many blocks were rolled back.</param>
public sealed record ChangeNotice(
    ChangeKind Kind, long? FromBlock = null, long? ToBlock = null, long? ReorgId = null, long? Ancestor = null, int? Depth = null)
{
    public const string Channel = "x402_changes";

    /// <summary>A committed range of blocks (its events, projection rows and checkpoint).</summary>
    public static ChangeNotice Range(long fromBlock, long toBlock) => new(ChangeKind.Range, FromBlock: fromBlock, ToBlock: toBlock);

    /// <summary>A reorg repair: events above the ancestor orphaned, their workflows derived again, the checkpoint moved back.</summary>
    public static ChangeNotice Reorg(long reorgId, long ancestor, int depth) =>
        new(ChangeKind.Reorg, ReorgId: reorgId, Ancestor: ancestor, Depth: depth);

    /// <summary>A replay swapped in a rebuilt workflow_state; the checkpoint did not move.</summary>
    public static ChangeNotice Replay() => new(ChangeKind.Replay);

    /// <summary>The payload, e.g. <c>{"kind":"range","fromBlock":101,"toBlock":120}</c>; well under 8000 bytes.</summary>
    public string ToPayload()
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("kind", Kind.ToString().ToLowerInvariant());
            WriteIfSet(json, "fromBlock", FromBlock);
            WriteIfSet(json, "toBlock", ToBlock);
            WriteIfSet(json, "reorgId", ReorgId);
            WriteIfSet(json, "ancestor", Ancestor);
            WriteIfSet(json, "depth", Depth);
            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <returns>The notice, or null when the payload is not one (a NOTIFY on the channel from someone else).</returns>
    public static ChangeNotice? TryParse(string payload)
    {
        try
        {
            using var document = JsonDocument.Parse(payload);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("kind", out var kind)
                || !Enum.TryParse<ChangeKind>(kind.GetString(), ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
            {
                return null;
            }

            return new ChangeNotice(
                parsed, Number(root, "fromBlock"), Number(root, "toBlock"), Number(root, "reorgId"), Number(root, "ancestor"), (int?)Number(root, "depth"));
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    private static void WriteIfSet(Utf8JsonWriter json, string name, long? value)
    {
        if (value is { } number)
        {
            json.WriteNumber(name, number);
        }
    }

    private static long? Number(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : null;
}

public enum ChangeKind
{
    Range,
    Reorg,
    Replay,
}
