using Nethereum.Hex.HexTypes;
using Nethereum.JsonRpc.Client;
using Nethereum.RPC.Eth;
using Nethereum.RPC.Eth.Blocks;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.RPC.Eth.Filters;
using Polly;

namespace Indexer.Worker.Chain;

/// <summary>The node over JSON-RPC through Nethereum, every call inside the Polly pipeline.</summary>
public sealed class NethereumChainClient(IClient client, ResiliencePipeline pipeline) : IChainClient
{
    public async Task<long> GetChainIdAsync(CancellationToken cancellationToken)
    {
        var chainId = await Call(() => new EthChainId(client).SendRequestAsync(), cancellationToken);
        return (long)chainId.Value;
    }

    public async Task<long> GetHeadAsync(CancellationToken cancellationToken)
    {
        var head = await Call(() => new EthBlockNumber(client).SendRequestAsync(), cancellationToken);
        return (long)head.Value;
    }

    public async Task<IReadOnlyList<FilterLog>> GetLogsAsync(
        string contractAddress, long fromBlock, long toBlock, CancellationToken cancellationToken)
    {
        var filter = new NewFilterInput
        {
            Address = [contractAddress],
            FromBlock = new BlockParameter(new HexBigInteger(fromBlock)),
            ToBlock = new BlockParameter(new HexBigInteger(toBlock)),
        };

        try
        {
            var logs = await Call(() => new EthGetLogs(client).SendRequestAsync(filter), cancellationToken);
            return logs ?? throw new ChainDataException($"eth_getLogs for {fromBlock}..{toBlock} returned null.");
        }
        catch (RpcResponseException e) when (RpcErrors.IsRangeTooLarge(e))
        {
            throw new RangeTooLargeException(fromBlock, toBlock, e.RpcError?.Message ?? e.Message);
        }
    }

    public async Task<IReadOnlyDictionary<long, ChainBlock>> GetBlocksAsync(
        IReadOnlyCollection<long> numbers, CancellationToken cancellationToken)
    {
        if (numbers.Count == 0)
        {
            return new Dictionary<long, ChainBlock>();
        }

        return await Call(async () =>
        {
            var handler = new EthGetBlockWithTransactionsByNumber(client);
            var batch = new RpcRequestResponseBatch();
            var items = numbers
                .Select((number, index) => (Number: number, Item: new RpcRequestResponseBatchItem<EthGetBlockWithTransactionsByNumber, BlockWithTransactions>(
                    handler, handler.BuildRequest(new BlockParameter(new HexBigInteger(number)), index + 1))))
                .ToList();
            batch.BatchItems.AddRange(items.Select(pair => pair.Item));
            await client.SendBatchRequestAsync(batch);

            var blocks = new Dictionary<long, ChainBlock>(items.Count);
            foreach (var (number, item) in items)
            {
                if (item.HasError || item.Response is null)
                {
                    throw new ChainDataException($"The node did not return block {number}: {item.RpcError?.Message ?? "no block"}.");
                }

                var block = ToChainBlock(item.Response);
                blocks[block.Number] = block;
            }

            return (IReadOnlyDictionary<long, ChainBlock>)blocks;
        }, cancellationToken);
    }

    private static ChainBlock ToChainBlock(BlockWithTransactions block) => new(
        (long)block.Number.Value,
        block.BlockHash.ToLowerInvariant(),
        block.ParentHash.ToLowerInvariant(),
        (long)block.Timestamp.Value,
        block.Transactions.ToDictionary(
            transaction => transaction.TransactionHash.ToLowerInvariant(),
            transaction => transaction.From.ToLowerInvariant()));

    private Task<T> Call<T>(Func<Task<T>> request, CancellationToken cancellationToken) =>
        pipeline.ExecuteAsync(async token => await request().WaitAsync(token), cancellationToken).AsTask();
}
