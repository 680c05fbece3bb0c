using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TestSupport;

/// <summary>A JSON-RPC request as the <see cref="FaultProxy"/> received it: one call, or a batch of them.</summary>
public sealed class RpcRequest
{
    private RpcRequest(bool isBatch, IReadOnlyList<RpcCall> calls)
    {
        IsBatch = isBatch;
        Calls = calls;
    }

    public bool IsBatch { get; }

    public IReadOnlyList<RpcCall> Calls { get; }

    public bool Has(string method) => Calls.Any(call => call.Method == method);

    /// <summary>A body that is not JSON-RPC (the worker never sends one) gives a request without calls.</summary>
    public static RpcRequest Parse(byte[] body)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(body);
        }
        catch (JsonException)
        {
            return new RpcRequest(false, []);
        }

        return root switch
        {
            JsonArray batch => new RpcRequest(true, batch.OfType<JsonObject>().Select(RpcCall.From).ToList()),
            JsonObject single => new RpcRequest(false, [RpcCall.From(single)]),
            _ => new RpcRequest(false, []),
        };
    }
}

/// <param name="Id">The call's id as sent (a number or a string), to answer it in kind.</param>
public sealed record RpcCall(JsonNode? Id, string Method, JsonArray Params)
{
    /// <summary>The numeric fromBlock..toBlock of an eth_getLogs call; null for other calls or block tags.</summary>
    public BlockRange? LogsRange =>
        Method == "eth_getLogs"
        && Params is [JsonObject filter, ..]
        && Quantity.TryParse(filter["fromBlock"], out var from)
        && Quantity.TryParse(filter["toBlock"], out var to)
            ? new BlockRange(from, to)
            : null;

    /// <summary>The id as JSON text, which identifies the call's answer within a batch.</summary>
    public string IdText => Id?.ToJsonString() ?? "null";

    internal static RpcCall From(JsonObject call) => new(
        call["id"]?.DeepClone(),
        call["method"]?.GetValue<string>() ?? "",
        call["params"] as JsonArray ?? []);
}

public readonly record struct BlockRange(long From, long To)
{
    public long Length => To - From + 1;
}

/// <summary>JSON-RPC quantities: 0x-prefixed hex numbers.</summary>
public static class Quantity
{
    public static string Format(long value) => "0x" + value.ToString("x", CultureInfo.InvariantCulture);

    public static bool TryParse(JsonNode? node, out long value)
    {
        value = 0;
        return node is JsonValue json
            && json.TryGetValue<string>(out var text)
            && text.StartsWith("0x", StringComparison.Ordinal)
            && long.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
    }
}
