using System.Diagnostics;
using System.Text.Json;
using Benchmark.Chain;

namespace Benchmark.Phases;

/// <summary>
/// The sweep ceiling: eth_getLogs over the whole chain in fixed pages, four requests in flight, every
/// answer parsed (System.Text.Json) and nothing stored; optionally also the header of every block that
/// holds logs, as a worker needs on a node whose logs lack blockTimestamp.
/// </summary>
public static class LogSweep
{
    public const int RequestsInFlight = 4;
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromMinutes(2);

    public sealed record Outcome(long Logs, long Headers, double Seconds);

    public static async Task<Outcome> RunAsync(
        string rpcUrl, string contractAddress, long fromBlock, long toBlock, int pageBlocks, bool fetchHeaders, CancellationToken cancellationToken)
    {
        using var rpc = new JsonRpc(rpcUrl, RequestTimeout);
        var pages = new List<(long From, long To)>();
        for (var from = fromBlock; from <= toBlock; from += pageBlocks)
        {
            pages.Add((from, Math.Min(from + pageBlocks - 1, toBlock)));
        }

        long logs = 0, headers = 0;
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(
            pages,
            new ParallelOptions { MaxDegreeOfParallelism = RequestsInFlight, CancellationToken = cancellationToken },
            async (page, token) =>
            {
                var filter = new { address = contractAddress, fromBlock = JsonRpc.Quantity(page.From), toBlock = JsonRpc.Quantity(page.To) };
                using var answer = await rpc.SendAsync(JsonRpc.Request("eth_getLogs", filter), token);
                var blocks = new SortedSet<string>(StringComparer.Ordinal);
                var pageLogs = 0;
                foreach (var log in answer.RootElement.GetProperty("result").EnumerateArray())
                {
                    pageLogs++;
                    blocks.Add(log.GetProperty("blockNumber").GetString()!);
                }

                Interlocked.Add(ref logs, pageLogs);
                if (fetchHeaders && blocks.Count > 0)
                {
                    var batch = blocks.Select(block => JsonRpc.Request("eth_getBlockByNumber", block, false)).ToArray();
                    using var headerAnswer = await rpc.SendAsync(batch, token);
                    var fetched = headerAnswer.RootElement.EnumerateArray().Count(item => item.GetProperty("result").ValueKind == JsonValueKind.Object);
                    Interlocked.Add(ref headers, fetched);
                }
            });
        return new Outcome(logs, headers, clock.Elapsed.TotalSeconds);
    }
}
