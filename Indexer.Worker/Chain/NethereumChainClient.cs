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
    private readonly EthGetBlockWithTransactionsHashesByNumber headers = new(client);
    private readonly EthGetTransactionByHash transactions = new(client);
    private readonly EthGetLogs logs = new(client);

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

    public async Task<RangeLogs> GetRangeLogsAsync(string contractAddress, long fromBlock, long toBlock, CancellationToken cancellationToken)
    {
        var filter = new NewFilterInput
        {
            Address = [contractAddress],
            FromBlock = new BlockParameter(new HexBigInteger(fromBlock)),
            ToBlock = new BlockParameter(new HexBigInteger(toBlock)),
        };
        return await Call(
            async () =>
            {
                // Built per attempt: a batch item keeps the error of a failed attempt.
                var requests = new List<IRpcRequestResponseBatchItem>
                {
                    new RpcRequestResponseBatchItem<EthGetLogs, FilterLog[]>(logs, logs.BuildRequest(filter, 1)),
                    HeaderRequest(toBlock, 2),
                };
                if (fromBlock > 0)
                {
                    requests.Add(HeaderRequest(fromBlock - 1, 3));
                }

                var batch = await SendBatchAsync(requests);
                var logsAnswer = batch[0];
                if (logsAnswer.HasError && RpcErrors.IsRangeTooLarge(logsAnswer.RpcError))
                {
                    throw new RangeTooLargeException(fromBlock, toBlock, logsAnswer.RpcError.Message);
                }

                return new RangeLogs(
                    (FilterLog[])Answer(logsAnswer, $"eth_getLogs for {fromBlock}..{toBlock}"),
                    HeaderOrNull(batch[1]),
                    batch.Count > 2 ? HeaderOrNull(batch[2]) : null);
            },
            cancellationToken);
    }

    public async Task<BlockDetails> GetBlockDetailsAsync(
        IReadOnlyCollection<long> blockNumbers, IReadOnlyCollection<string> transactionHashes, CancellationToken cancellationToken)
    {
        var requests = blockNumbers
            .Select(number => (Func<int, IRpcRequestResponseBatchItem>)(id => HeaderRequest(number, id)))
            .Concat(transactionHashes.Select(hash => (Func<int, IRpcRequestResponseBatchItem>)(id =>
                new RpcRequestResponseBatchItem<EthGetTransactionByHash, Transaction>(transactions, transactions.BuildRequest(hash, id)))))
            .ToList();

        var blocks = new Dictionary<long, ChainBlock>(blockNumbers.Count);
        var senders = new Dictionary<string, string>(transactionHashes.Count, StringComparer.Ordinal);
        foreach (var chunk in requests.Chunk(batchSize))
        {
            var answers = await Call(
                async () => (await SendBatchAsync(chunk.Select((build, index) => build(index + 1)).ToList()))
                    .Select(item => item.HasError ? throw new RpcResponseException(item.RpcError) : item.RawResponse)
                    .ToList(),
                cancellationToken);
            foreach (var answer in answers)
            {
                switch (answer)
                {
                    case BlockWithTransactionHashes header:
                        var block = ToChainBlock(header);
                        blocks[block.Number] = block;
                        break;
                    case Transaction transaction:
                        senders[transaction.TransactionHash.ToLowerInvariant()] = transaction.From.ToLowerInvariant();
                        break;
                }
            }
        }

        return new BlockDetails(blocks, senders);
    }

    private IRpcRequestResponseBatchItem HeaderRequest(long number, int id) =>
        new RpcRequestResponseBatchItem<EthGetBlockWithTransactionsHashesByNumber, BlockWithTransactionHashes>(
            headers, headers.BuildRequest(new BlockParameter(new HexBigInteger(number)), id));

    private async Task<IReadOnlyList<IRpcRequestResponseBatchItem>> SendBatchAsync(IReadOnlyList<IRpcRequestResponseBatchItem> items)
    {
        // Partial success lets the caller see which item failed (a range refused as too large) instead of one batch error.
        var batch = new RpcRequestResponseBatch { AcceptPartiallySuccessful = true };
        batch.BatchItems.AddRange(items);
        await client.SendBatchRequestAsync(batch);
        return items;
    }

    /// <exception cref="RpcResponseException">The node answered this request with an error.</exception>
    /// <exception cref="ChainDataException">The node had no answer for it (yet).</exception>
    private static object Answer(IRpcRequestResponseBatchItem item, string description)
    {
        if (item.HasError)
        {
            throw new RpcResponseException(item.RpcError);
        }

        return item.RawResponse ?? throw new ChainDataException($"The node did not return {description}.");
    }

    private static ChainBlock? HeaderOrNull(IRpcRequestResponseBatchItem item) =>
        item.HasError ? throw new RpcResponseException(item.RpcError)
        : item.RawResponse is BlockWithTransactionHashes header ? ToChainBlock(header)
        : null;

    private static ChainBlock ToChainBlock(BlockWithTransactionHashes header) => new(
        (long)header.Number.Value,
        header.BlockHash.ToLowerInvariant(),
        header.ParentHash.ToLowerInvariant(),
        (long)header.Timestamp.Value);

    private Task<T> Call<T>(Func<Task<T>> request, CancellationToken cancellationToken) =>
        pipeline.ExecuteAsync(async token => await request().WaitAsync(token), cancellationToken).AsTask();
}
