using Nethereum.JsonRpc.Client;

namespace Indexer.Worker.Chain;

/// <summary>Tells apart the JSON-RPC errors that mean "ask for less" from those worth retrying as they are.</summary>
internal static class RpcErrors
{
    // Wordings used by geth, erigon, Cronos (ethermint), Alchemy, Infura and anvil for an oversized eth_getLogs.
    private static readonly string[] TooLargeWordings =
    [
        "query returned more than",
        "block range",
        "range is too large",
        "range too large",
        "exceed maximum block range",
        "too many results",
        "response size exceeded",
        "limit exceeded",
        "log response size",
        "logs matched by query exceeds",
    ];

    public static bool IsRangeTooLarge(RpcResponseException exception) =>
        IsRangeTooLarge(exception.RpcError ?? new RpcError(0, exception.Message));

    public static bool IsRangeTooLarge(RpcError error) =>
        error.Code == -32005
        || TooLargeWordings.Any(wording => error.Message?.Contains(wording, StringComparison.OrdinalIgnoreCase) == true);
}
