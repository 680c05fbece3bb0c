using Nethereum.Hex.HexTypes;
using Nethereum.RPC.Eth.DTOs;
using Newtonsoft.Json;

namespace Indexer.Worker.Chain;

/// <summary>
/// A log as eth_getLogs returns it. Recent nodes (geth, anvil, reth) add the block's timestamp to
/// each log, which spares fetching the block; Nethereum's FilterLog does not read that field.
/// </summary>
public sealed class ChainLog : FilterLog
{
    [JsonProperty("blockTimestamp")]
    public HexBigInteger? BlockTimestamp { get; set; }
}
