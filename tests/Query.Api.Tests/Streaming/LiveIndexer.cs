using System.Globalization;
using ServiceDefaults.Configuration;
using Npgsql;
using Query.Api.Tests.Support;
using Simulator.Simulation;
using TestSupport;

namespace Query.Api.Tests.Streaming;

/// <summary>
/// The whole pipeline, each part real: anvil with the reference contract, the worker process indexing it
/// into a fresh database, and the API process reading that database as x402_api.
/// </summary>
internal sealed class LiveIndexer : IAsyncDisposable
{
    public const int ConfirmationBlocks = 2;

    private static readonly TimeSpan CatchUpTimeout = TimeSpan.FromMinutes(2);

    private readonly string _adminUrl;

    private LiveIndexer(AnvilNode anvil, Deployment deployment, string adminUrl, ChildProcess worker, ApiProcess api)
    {
        Anvil = anvil;
        Deployment = deployment;
        _adminUrl = adminUrl;
        Worker = worker;
        Api = api;
    }

    public AnvilNode Anvil { get; }

    public Deployment Deployment { get; }

    public ChildProcess Worker { get; }

    public ApiProcess Api { get; }

    public Uri Address => Api.Http.BaseAddress!;

    public static async Task<LiveIndexer> StartAsync()
    {
        var anvil = await AnvilNode.StartAsync();
        ChildProcess? worker = null;
        try
        {
            var deployment = await WorkflowSimulator.DeployAsync(anvil.RpcUrl, CancellationToken.None);
            var (adminUrl, apiRoleUrl) = await SeededApi.CreateMigratedDatabaseAsync(await SharedPostgres.GetAsync());
            worker = ChildProcess.StartIndexerWorker([], new Dictionary<string, string>
            {
                ["RPC_URL"] = anvil.RpcUrl,
                ["CHAIN_ID"] = deployment.ChainId.ToString(CultureInfo.InvariantCulture),
                ["CONTRACT_ADDRESS"] = deployment.ContractAddress,
                ["BLOCK_START"] = deployment.DeployBlock.ToString(CultureInfo.InvariantCulture),
                ["DATABASE_URL"] = adminUrl,
                ["CONFIRMATION_BLOCKS"] = ConfirmationBlocks.ToString(CultureInfo.InvariantCulture),
                ["POLL_INTERVAL_MS"] = "100",
                ["HEARTBEAT_INTERVAL_MS"] = "500",
                ["METRICS_PORT"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            });
            var api = await ApiProcess.StartAsync(apiRoleUrl);
            return new LiveIndexer(anvil, deployment, adminUrl, worker, api);
        }
        catch
        {
            if (worker is not null)
            {
                await worker.DisposeAsync();
            }

            await anvil.DisposeAsync();
            throw;
        }
    }

    public Task<EventStream> OpenAsync(string pathAndQuery = "stream", string? lastEventId = null) =>
        EventStream.OpenAsync(Address, pathAndQuery, lastEventId);

    /// <summary>Mines seeded workflows on the contract, then enough blocks to confirm the last of them.</summary>
    public async Task<SimulationResult> MineWorkflowsAsync(int workflows, int seed, int perBlock = 3)
    {
        var result = await WorkflowSimulator.RunAsync(
            new SimulationOptions(Anvil.RpcUrl, workflows, seed, perBlock, Deployment.ContractAddress), CancellationToken.None);
        await Anvil.MineAsync(ConfirmationBlocks);
        return result;
    }

    public Task WaitForCheckpointAsync(long block) =>
        Eventually.TrueAsync(
            async () => await ScalarAsync<long>("SELECT last_block FROM sync_checkpoint WHERE id = 1") >= block,
            CatchUpTimeout,
            () => $"the worker indexes up to block {block}.\n{Worker.Output}");

    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(DatabaseUrl.Parse(_adminUrl).ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public async ValueTask DisposeAsync()
    {
        await Api.DisposeAsync();
        await Worker.DisposeAsync();
        await Anvil.DisposeAsync();
    }
}
