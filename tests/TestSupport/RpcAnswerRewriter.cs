using System.Text.Json.Nodes;

namespace TestSupport;

/// <summary>
/// Turns the node's real answer into the one a faulty node would give, call by call, keeping the
/// batch's shape: an error for the calls to one method, a lagging node's view, a head gone backwards.
/// </summary>
internal static class RpcAnswerRewriter
{
    /// <param name="realHead">The node's head when the request was answered (used by the lagging node).</param>
    public static byte[] Rewrite(RpcRequest request, byte[] answer, FaultKind fault, long realHead)
    {
        var methodById = request.Calls.ToDictionary(call => call.IdText, call => call.Method, StringComparer.Ordinal);
        var root = JsonNode.Parse(answer);
        var rewritten = root switch
        {
            JsonArray items => new JsonArray([.. items.Select(item => RewriteItem(item, methodById, fault, realHead))]),
            _ => RewriteItem(root, methodById, fault, realHead),
        };
        return System.Text.Encoding.UTF8.GetBytes(rewritten?.ToJsonString() ?? "null");
    }

    /// <summary>The calls whose answers stay the node's (those a JSON-RPC error replaces do not).</summary>
    public static IEnumerable<RpcCall> AnsweredByNode(RpcRequest request, FaultKind? fault) =>
        request.Calls.Where(call => fault is not FaultKind.RpcError error || call.Method != error.Method);

    private static JsonNode? RewriteItem(JsonNode? item, Dictionary<string, string> methodById, FaultKind fault, long realHead)
    {
        if (item is not JsonObject response || !methodById.TryGetValue(response["id"]?.ToJsonString() ?? "null", out var method))
        {
            return item?.DeepClone();
        }

        var id = response["id"]?.DeepClone();
        var result = response["result"]?.DeepClone();
        return fault switch
        {
            FaultKind.RpcError error when method == error.Method =>
                new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["error"] = new JsonObject { ["code"] = error.Code, ["message"] = error.Message } },
            _ when response.ContainsKey("error") => response.DeepClone(),
            FaultKind.HeadGoesBackwards backwards when method == "eth_blockNumber" && Quantity.TryParse(result, out var head) =>
                Answer(id, Quantity.Format(head - backwards.Blocks)),
            FaultKind.LaggingNode lagging => Answer(id, AsSeenByLaggingNode(method, result, realHead - lagging.LagBlocks)),
            _ => response.DeepClone(),
        };
    }

    // Logs carry "blockNumber", transactions and receipts too, block headers carry "number":
    // whatever sits above the lagging node's head does not exist for it.
    private static JsonNode? AsSeenByLaggingNode(string method, JsonNode? result, long laggingHead) => result switch
    {
        _ when method == "eth_blockNumber" => Quantity.Format(laggingHead),
        JsonArray items => new JsonArray([.. items.Where(item => !IsAbove(item, laggingHead)).Select(item => item?.DeepClone())]),
        JsonObject found when IsAbove(found, laggingHead) => null,
        _ => result,
    };

    private static bool IsAbove(JsonNode? item, long laggingHead) =>
        item is JsonObject found
        && (Quantity.TryParse(found["blockNumber"], out var number) || Quantity.TryParse(found["number"], out number))
        && number > laggingHead;

    private static JsonObject Answer(JsonNode? id, JsonNode? result) => new() { ["jsonrpc"] = "2.0", ["id"] = id, ["result"] = result };
}
