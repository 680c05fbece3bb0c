using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Indexer.Worker.Operations;
using Nethereum.JsonRpc.Client;
using Nethereum.RPC.Eth;
using Nethereum.RPC.Eth.Blocks;
using Polly;
using Polly.Timeout;

namespace Indexer.Worker.Chain;

/// <summary>
/// The node over JSON-RPC, every call inside the Polly pipeline. The chain id and head go through
/// Nethereum's typed requests; logs and blocks, nearly all of the traffic, go as
/// <see cref="JsonRpcBatch"/>es read straight from their UTF-8 answers.
/// </summary>
public sealed class NethereumChainClient(IClient client, HttpClient http, ResiliencePipeline pipeline, ChainClientLimits limits) : IChainClient
{
    public async Task<long> GetChainIdAsync(CancellationToken cancellationToken)
    {
        var chainId = await Call("eth_chainId", _ => new EthChainId(client).SendRequestAsync(), splittable: false, cancellationToken);
        return (long)chainId.Value;
    }

    public async Task<long> GetHeadAsync(CancellationToken cancellationToken)
    {
        var head = await Call("eth_blockNumber", _ => new EthBlockNumber(client).SendRequestAsync(), splittable: false, cancellationToken);
        return (long)head.Value;
    }

    public async Task<RangeLogs> GetRangeLogsAsync(string contractAddress, long fromBlock, long toBlock, CancellationToken cancellationToken)
    {
        var batch = new JsonRpcBatch();
        var logs = batch.Add("eth_getLogs", json =>
        {
            json.WriteStartObject();
            json.WriteString("address", contractAddress);
            json.WriteString("fromBlock", Hex(fromBlock));
            json.WriteString("toBlock", Hex(toBlock));
            json.WriteEndObject();
        });
        var rangeEnd = AddBlock(batch, toBlock, withTransactions: false);
        var beforeRange = fromBlock > 0 ? AddBlock(batch, fromBlock - 1, withTransactions: false) : -1;

        try
        {
            return await Call(
                "eth_getLogs",
                async token =>
                {
                    using var answer = await batch.SendAsync(http, limits.MaxAnswerBytes, token);
                    if (answer.ErrorOf(logs) is { } error && RpcErrors.IsRangeTooLarge(error))
                    {
                        throw new RangeTooLargeException(fromBlock, toBlock, error.Message);
                    }

                    return new RangeLogs(
                        answer.Read(logs, RpcJson.Logs),
                        answer.Read(rangeEnd, RpcJson.Block),
                        beforeRange < 0 ? null : answer.Read(beforeRange, RpcJson.Block));
                },
                splittable: toBlock > fromBlock,
                cancellationToken);
        }
        catch (RpcAnswerTooLargeException e)
        {
            throw new RangeTooLargeException(fromBlock, toBlock, e.Message);
        }
        catch (TimeoutRejectedException) when (toBlock > fromBlock)
        {
            throw new RangeTooLargeException(fromBlock, toBlock, $"no answer within RPC_TIMEOUT_MS ({limits.TimeoutMs} ms)");
        }
    }

    public async Task<BlockDetails> GetBlockDetailsAsync(
        IReadOnlyCollection<long> blockNumbers,
        IReadOnlyCollection<string> sendersFromReceipts,
        IReadOnlyCollection<string> sendersFromTransactions,
        CancellationToken cancellationToken)
    {
        var blocks = new Dictionary<long, ChainBlock>(blockNumbers.Count);
        var senders = new Dictionary<string, string>(sendersFromReceipts.Count + sendersFromTransactions.Count, StringComparer.Ordinal);
        var requests = new List<(string Method, Action<Utf8JsonWriter> WriteParams, RpcResultReader<bool> Read)>(
            blockNumbers.Count + sendersFromReceipts.Count + sendersFromTransactions.Count);
        foreach (var number in blockNumbers)
        {
            requests.Add(("eth_getBlockByNumber", BlockParams(number, withTransactions: false), (ref Utf8JsonReader reader) =>
            {
                if (RpcJson.Block(ref reader) is { } block)
                {
                    blocks[block.Number] = block;
                }

                return true;
            }));
        }

        foreach (var hash in sendersFromReceipts)
        {
            requests.Add(("eth_getTransactionReceipt", json => json.WriteStringValue(hash), (ref Utf8JsonReader reader) =>
            {
                RpcJson.ReceiptSender(ref reader, senders);
                return true;
            }));
        }

        foreach (var hash in sendersFromTransactions)
        {
            requests.Add(("eth_getTransactionByHash", json => json.WriteStringValue(hash), (ref Utf8JsonReader reader) =>
            {
                RpcJson.TransactionSender(ref reader, senders);
                return true;
            }));
        }

        foreach (var chunk in requests.Chunk(limits.BatchSize))
        {
            var batch = new JsonRpcBatch();
            foreach (var request in chunk)
            {
                batch.Add(request.Method, request.WriteParams);
            }

            await Call(
                chunk[0].Method,
                async token =>
                {
                    using var answer = await batch.SendAsync(http, limits.MaxAnswerBytes, token);
                    for (var id = 0; id < chunk.Length; id++)
                    {
                        answer.Read(id, chunk[id].Read);
                    }

                    return true;
                },
                splittable: false,
                cancellationToken);
        }

        return new BlockDetails(blocks, senders);
    }

    private static async Task<T> MeasuredAttemptAsync<T>(string method, Func<CancellationToken, Task<T>> request, CancellationToken attempt)
    {
        var started = Stopwatch.GetTimestamp();
        var outcome = "error";
        try
        {
            var answer = await request(attempt).WaitAsync(attempt);
            outcome = "ok";
            return answer;
        }
        catch (OperationCanceledException) when (attempt.IsCancellationRequested)
        {
            // The per-attempt timeout (or a stop): either way the node did not answer in time.
            outcome = "timeout";
            throw;
        }
        catch (Exception e) when (e is RangeTooLargeException or RpcAnswerTooLargeException)
        {
            outcome = "too_large";
            throw;
        }
        finally
        {
            IndexerMetrics.RpcAttempt(method, outcome, Stopwatch.GetElapsedTime(started));
        }
    }

    private static int AddBlock(JsonRpcBatch batch, long number, bool withTransactions) =>
        batch.Add("eth_getBlockByNumber", BlockParams(number, withTransactions));

    private static Action<Utf8JsonWriter> BlockParams(long number, bool withTransactions) => json =>
    {
        json.WriteStringValue(Hex(number));
        json.WriteBooleanValue(withTransactions);
    };

    private static string Hex(long number) => "0x" + number.ToString("x", CultureInfo.InvariantCulture);

    /// <param name="method">The JSON-RPC method, for a batch its first: the label of the attempt's metrics.</param>
    private async Task<T> Call<T>(string method, Func<CancellationToken, Task<T>> request, bool splittable, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(RpcPipeline.Splittable, splittable);
        try
        {
            return await pipeline.ExecuteAsync(
                static async (context, call) => await MeasuredAttemptAsync(call.method, call.request, context.CancellationToken),
                context,
                (method, request));
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }
}

/// <summary>How much the worker asks of the node at once.</summary>
/// <param name="BatchSize">Most requests in one JSON-RPC batch (RPC_BATCH_SIZE).</param>
/// <param name="MaxAnswerBytes">Longest answer read; a longer eth_getLogs answer splits its range.</param>
/// <param name="TimeoutMs">RPC_TIMEOUT_MS, for messages.</param>
public sealed record ChainClientLimits(int BatchSize, int MaxAnswerBytes, int TimeoutMs);
