using Nethereum.Hex.HexTypes;
using Nethereum.JsonRpc.Client;
using Nethereum.RPC.Eth;
using Nethereum.RPC.Eth.Blocks;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.RPC.Eth.Filters;
using Nethereum.RPC.Eth.Transactions;
using Polly;

namespace Indexer.Worker.Chain;

/// <summary>The node over JSON-RPC through Nethereum, every call inside the Polly pipeline.</summary>
public sealed class NethereumChainClient(IClient client, ResiliencePipeline pipeline, int batchSize) : IChainClient
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

    public async Task<IReadOnlyList<ChainLog>> GetLogsAsync(
        string contractAddress, long fromBlock, long toBlock, CancellationToken cancellationToken)
    {
        var filter = new NewFilterInput
        {
            Address = [contractAddress],
            FromBlock = new BlockParameter(new HexBigInteger(fromBlock)),
            ToBlock = new BlockParameter(new HexBigInteger(toBlock)),
        };
        var request = new EthGetLogs(client).BuildRequest(filter, 1);

        try
        {
            var logs = await Call(() => client.SendRequestAsync<ChainLog[]>(request), cancellationToken);
            return logs ?? throw new ChainDataException($"eth_getLogs for {fromBlock}..{toBlock} returned null.");
        }
        catch (RpcResponseException e) when (RpcErrors.IsRangeTooLarge(e))
        {
            throw new RangeTooLargeException(fromBlock, toBlock, e.RpcError?.Message ?? e.Message);
        }
    }

    public async Task<BlockDetails> GetBlockDetailsAsync(
        IReadOnlyCollection<long> blockNumbers, IReadOnlyCollection<string> transactionHashes, CancellationToken cancellationToken)
    {
        var headers = new EthGetBlockWithTransactionsHashesByNumber(client);
        var transactions = new EthGetTransactionByHash(client);
        var requests = blockNumbers
            .Select(number => new BatchRequest(
                $"block {number}",
                id => new RpcRequestResponseBatchItem<EthGetBlockWithTransactionsHashesByNumber, BlockWithTransactionHashes>(
                    headers, headers.BuildRequest(new BlockParameter(new HexBigInteger(number)), id))))
            .Concat(transactionHashes.Select(hash => new BatchRequest(
                $"transaction {hash}",
                id => new RpcRequestResponseBatchItem<EthGetTransactionByHash, Transaction>(transactions, transactions.BuildRequest(hash, id)))))
            .ToList();

        var blocks = new Dictionary<long, ChainBlock>(blockNumbers.Count);
        var senders = new Dictionary<string, string>(transactionHashes.Count, StringComparer.Ordinal);
        foreach (var chunk in requests.Chunk(batchSize))
        {
            var answers = await Call(() => SendBatchAsync(chunk), cancellationToken);
            foreach (var answer in answers)
            {
                switch (answer)
                {
                    case BlockWithTransactionHashes block:
                        blocks[(long)block.Number.Value] = new ChainBlock(
                            (long)block.Number.Value, block.BlockHash.ToLowerInvariant(), block.ParentHash.ToLowerInvariant(), (long)block.Timestamp.Value);
                        break;
                    case Transaction transaction:
                        senders[transaction.TransactionHash.ToLowerInvariant()] = transaction.From.ToLowerInvariant();
                        break;
                }
            }
        }

        return new BlockDetails(blocks, senders);
    }

    /// <returns>Each request's decoded answer, in request order.</returns>
    /// <exception cref="ChainDataException">The node had no answer for one of them (yet).</exception>
    private async Task<IReadOnlyList<object>> SendBatchAsync(IReadOnlyList<BatchRequest> requests)
    {
        var batch = new RpcRequestResponseBatch();
        batch.BatchItems.AddRange(requests.Select((request, index) => request.Build(index + 1)));
        await client.SendBatchRequestAsync(batch);

        var answers = new List<object>(requests.Count);
        for (var index = 0; index < requests.Count; index++)
        {
            var item = batch.BatchItems[index];
            var answer = item.HasError ? null : item.RawResponse;
            answers.Add(answer ?? throw new ChainDataException(
                $"The node did not return {requests[index].Description}: {item.RpcError?.Message ?? "no result"}."));
        }

        return answers;
    }

    private Task<T> Call<T>(Func<Task<T>> request, CancellationToken cancellationToken) =>
        pipeline.ExecuteAsync(async token => await request().WaitAsync(token), cancellationToken).AsTask();

    private sealed record BatchRequest(string Description, Func<int, IRpcRequestResponseBatchItem> Build);
}
