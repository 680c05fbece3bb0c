using System.Globalization;
using System.IO.Compression;
using System.Numerics;
using System.Security.Cryptography;
using System.Text.Json;
using Benchmark.Scenarios;
using Simulator.Bulk;
using Simulator.Contract;
using Simulator.Simulation;
using TestSupport;

namespace Benchmark.Chain;

/// <summary>
/// A scenario's chain on a private anvil: built by the simulator's bulk mode, or loaded from the cache
/// (anvil --load-state plus the expected result saved beside it), then CONFIRMATION_BLOCKS more blocks
/// mined so that the last event block is confirmed.
/// </summary>
public sealed class ScenarioChain : IAsyncDisposable
{
    public const int ConfirmationBlocks = 3;

    // Far above what a block of the dense scenarios needs, so every round fits one block.
    private const string GasLimit = "1000000000";

    // The 1M-event chain's saved state is 1.1 GB of JSON: read from a cold disk and parsed, it took anvil over 30 s.
    private static readonly TimeSpan LoadStateTimeout = TimeSpan.FromMinutes(5);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private ScenarioChain(AnvilNode node, BulkResult built, bool fromCache)
    {
        Node = node;
        Built = built;
        FromCache = fromCache;
    }

    public AnvilNode Node { get; }

    /// <summary>What the chain holds: contract, blocks and the expected result.</summary>
    public BulkResult Built { get; }

    public bool FromCache { get; }

    public static async Task<ScenarioChain> BuildOrLoadAsync(Scenario scenario, string? cacheDirectory, TextWriter log, CancellationToken cancellationToken)
    {
        var cached = cacheDirectory is null ? null : CachePaths(scenario, cacheDirectory);
        ScenarioChain chain;
        if (cached is not null && File.Exists(cached.Value.State) && File.Exists(cached.Value.Expected))
        {
            log.WriteLine($"{scenario.Name}: loading the chain from {cached.Value.State}");
            var node = await AnvilNode.StartAsync(LoadStateTimeout, "--gas-limit", GasLimit, "--load-state", cached.Value.State);
            var saved = JsonSerializer.Deserialize<SavedResult>(await File.ReadAllTextAsync(cached.Value.Expected, cancellationToken), Json)
                ?? throw new InvalidDataException($"{cached.Value.Expected} is empty.");
            chain = new ScenarioChain(node, saved.ToResult(node.RpcUrl), fromCache: true);
        }
        else
        {
            var node = await AnvilNode.StartAsync("--gas-limit", GasLimit);
            log.WriteLine($"{scenario.Name}: building the chain ({scenario.Workflows} workflows, ~{scenario.EventsPerBlock} events a block, {scenario.EmptyBlocksBetween} empty blocks between)");
            BulkResult built;
            try
            {
                built = await BulkSimulator.RunAsync(
                    new BulkOptions(node.RpcUrl, scenario.Workflows, Scenario.Seed, scenario.EventsPerBlock, scenario.EmptyBlocksBetween),
                    new Progress<string>(line => log.WriteLine($"{scenario.Name}: {line}")),
                    cancellationToken);
            }
            catch
            {
                await node.DisposeAsync(); // no anvil outlives a failed build
                throw;
            }

            chain = new ScenarioChain(node, built, fromCache: false);
            if (cached is not null)
            {
                await chain.SaveAsync(cached.Value.State, cached.Value.Expected, cancellationToken);
                log.WriteLine($"{scenario.Name}: chain saved to {cached.Value.State}");
            }
        }

        var head = await chain.Node.BlockNumberAsync();
        if (head < chain.Built.LastBlock)
        {
            await chain.DisposeAsync();
            throw new InvalidDataException($"The chain's head {head} is below its last event block {chain.Built.LastBlock}: delete the cache.");
        }

        await chain.Node.MineAsync(ConfirmationBlocks);
        return chain;
    }

    public ValueTask DisposeAsync() => Node.DisposeAsync();

    // anvil_dumpState answers hex of gzipped JSON; --load-state reads the JSON.
    private async Task SaveAsync(string statePath, string expectedPath, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(statePath)!);
        string hex;
        using (var rpc = new JsonRpc(Node.RpcUrl, TimeSpan.FromMinutes(10)))
        using (var answer = await rpc.SendAsync(JsonRpc.Request("anvil_dumpState"), cancellationToken))
        {
            hex = answer.RootElement.GetProperty("result").GetString() ?? throw new InvalidDataException("anvil_dumpState answered null.");
        }

        var temporary = statePath + ".partial";
        await using (var file = File.Create(temporary))
        await using (var gzip = new GZipStream(new MemoryStream(Convert.FromHexString(hex.AsSpan(2))), CompressionMode.Decompress))
        {
            await gzip.CopyToAsync(file, cancellationToken);
        }

        await File.WriteAllTextAsync(expectedPath, JsonSerializer.Serialize(SavedResult.Of(Built), Json), cancellationToken);
        File.Move(temporary, statePath, overwrite: true);
    }

    // The key changes with everything that shapes the chain: the scenario's sizes, the seed and the contract.
    private static (string State, string Expected)? CachePaths(Scenario scenario, string cacheDirectory)
    {
        var contract = Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(ContractArtifact.Load().Bytecode)))[..12];
        var key = string.Create(CultureInfo.InvariantCulture,
            $"{scenario.Name}-{scenario.Workflows}w-{scenario.EventsPerBlock}e-{scenario.EmptyBlocksBetween}g-seed{Scenario.Seed}-{contract}");
        var directory = Path.Combine(cacheDirectory, key);
        return (Path.Combine(directory, "state.json"), Path.Combine(directory, "expected.json"));
    }

    /// <summary>The expected result as saved beside the state (the settled total as a decimal string).</summary>
    private sealed record SavedResult(
        string ContractAddress,
        long ChainId,
        long DeployBlock,
        long LastBlock,
        int BlocksWithEvents,
        int Transactions,
        ExpectedCounts Expected,
        Dictionary<string, long> EventsByType,
        string SettledTotal)
    {
        public static SavedResult Of(BulkResult result) => new(
            result.ContractAddress, result.ChainId, result.DeployBlock, result.LastBlock, result.BlocksWithEvents, result.Transactions,
            result.Expected, new Dictionary<string, long>(result.Totals.EventsByType), result.Totals.SettledTotal.ToString(CultureInfo.InvariantCulture));

        public BulkResult ToResult(string rpcUrl) => new(
            rpcUrl, ChainId, ContractAddress, DeployBlock, LastBlock, BlocksWithEvents, Transactions, Expected,
            new ExpectedTotals(EventsByType, BigInteger.Parse(SettledTotal, CultureInfo.InvariantCulture)));
    }
}
