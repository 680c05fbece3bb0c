using System.Globalization;
using System.Text.Json;
using Dapper;
using ServiceDefaults.Configuration;
using Migrations.Schema;
using Npgsql;
using NUnit.Framework;
using Simulator.Simulation;
using TestSupport;

namespace Query.Api.BrowserTests.Support;

/// <summary>
/// Everything the dashboard shows, started once per run: anvil with the contract and the simulator's
/// workflows, a migrated PostgreSQL database, the real worker indexing it and the real Query.Api serving
/// the dashboard, plus two pages on other origins (one allowed by CORS_ORIGINS, one not).
/// </summary>
public sealed class DashboardRun
{
    public const int SimulatedWorkflows = 120;
    public const string ExplorerUrl = "https://explorer.cronos.org/testnet";
    private const int ConfirmationBlocks = 3;
    private static readonly TimeSpan CatchUpTimeout = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan ChainStartsAgo = TimeSpan.FromHours(12);
    private static readonly TimeSpan SimulatedBlockInterval = TimeSpan.FromMinutes(10);
    private static readonly Lazy<Task<DashboardRun>> Shared = new(StartAsync);

    private readonly SemaphoreSlim _mining = new(1, 1);
    private readonly List<SimulatedWorkflow> _workflows = [];
    private AnvilNode? _anvil;
    private ChildProcess? _worker;
    private ChildProcess? _api;
    private string _contractAddress = "";
    private int _nextSeed = 1000;

    private DashboardRun()
    {
    }

    /// <summary>http://127.0.0.1:port, no trailing slash.</summary>
    public string ApiUrl { get; private set; } = "";

    /// <summary>A page on an origin listed in CORS_ORIGINS.</summary>
    public SecondOrigin AllowedOrigin { get; } = SecondOrigin.OnFreePort();

    /// <summary>A page on an origin that is not.</summary>
    public SecondOrigin OtherOrigin { get; } = SecondOrigin.OnFreePort();

    /// <summary>Every workflow on the chain so far (the simulator's, then those mined by tests), as sent.</summary>
    public IReadOnlyList<SimulatedWorkflow> Workflows
    {
        get
        {
            lock (_workflows)
            {
                return [.. _workflows];
            }
        }
    }

    public static Task<DashboardRun> GetAsync() => Shared.Value;

    public static async Task DisposeAsync()
    {
        if (Shared.IsValueCreated && Shared.Value.IsCompletedSuccessfully)
        {
            await Shared.Value.Result.StopAsync();
        }
    }

    /// <summary>Workflows per status, as the dashboard must count them.</summary>
    public IReadOnlyDictionary<string, int> ExpectedCounts()
    {
        var workflows = Workflows;
        var counts = new[] { "running", "completed", "failed", "rejected" }
            .ToDictionary(status => status, status => workflows.Count(workflow => workflow.ExpectedStatus == status));
        counts["total"] = workflows.Count;
        return counts;
    }

    /// <summary>
    /// Drives one more workflow to its fate on anvil and buries it under the confirmation window, so the
    /// worker indexes it; returns it as sent. One at a time (the simulator mines by hand while it runs).
    /// </summary>
    public async Task<SimulatedWorkflow> MineWorkflowAsync()
    {
        await _mining.WaitAsync();
        try
        {
            var anvil = _anvil!;
            var result = await WorkflowSimulator.RunAsync(
                new SimulationOptions(anvil.RpcUrl, Workflows: 1, Seed: _nextSeed++, WorkflowsPerBlock: 1, ContractAddress: _contractAddress),
                CancellationToken.None);
            await anvil.MineAsync(ConfirmationBlocks);
            var workflow = result.Workflows.Single();
            lock (_workflows)
            {
                _workflows.Add(workflow);
            }

            return workflow;
        }
        finally
        {
            _mining.Release();
        }
    }

    private static async Task<DashboardRun> StartAsync()
    {
        var run = new DashboardRun();
        try
        {
            await run.StartPartsAsync();
            return run;
        }
        catch
        {
            await run.StopAsync();
            throw;
        }
    }

    private async Task StartPartsAsync()
    {
        var started = DateTime.UtcNow;
        // The simulated blocks lie 10 minutes apart, starting 12 hours ago: the workflows spread over several
        // hours (the chart has several buckets, start times differ), and no block is in the future.
        var genesis = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - (long)ChainStartsAgo.TotalSeconds;
        var anvil = _anvil = await AnvilNode.StartAsync("--timestamp", genesis.ToString(CultureInfo.InvariantCulture));
        await anvil.CallAsync<JsonElement>("anvil_setBlockTimestampInterval", (long)SimulatedBlockInterval.TotalSeconds);
        var simulation = await WorkflowSimulator.RunAsync(
            new SimulationOptions(anvil.RpcUrl, SimulatedWorkflows, Seed: 402, WorkflowsPerBlock: 6), CancellationToken.None);
        await anvil.CallAsync<bool>("anvil_removeBlockTimestampInterval");
        await anvil.MineAsync(ConfirmationBlocks);
        _contractAddress = simulation.ContractAddress;
        _workflows.AddRange(simulation.Workflows);

        var server = await SharedPostgres.GetAsync();
        var databaseUrl = await server.CreateDatabaseAsync();
        var migration = new SchemaMigrator(DatabaseUrl.Parse(databaseUrl)).Apply(TextWriter.Null);
        if (!migration.Successful)
        {
            throw new InvalidOperationException($"Migrations failed: {migration.Error?.Message}");
        }

        var readerUrl = await server.CreateLoginRoleAsync("x402_api", "browser-" + Guid.NewGuid().ToString("N"), databaseUrl, "x402_reader");
        var worker = _worker = ChildProcess.StartIndexerWorker([], FreePort.WithMetricsPort(WorkerEnvironment(simulation, databaseUrl)));
        await Eventually.TrueAsync(
            async () => worker.HasExited || await LastIndexedBlockAsync(databaseUrl) >= simulation.LastBlock,
            CatchUpTimeout,
            () => $"the worker indexes up to block {simulation.LastBlock}.\n{worker.Output}");
        if (worker.HasExited)
        {
            throw new InvalidOperationException($"The worker exited.\n{worker.Output}");
        }

        var port = FreePort.Next();
        ApiUrl = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
        var api = _api = ChildProcess.StartDotnet(RepoLayout.BuiltDll("Query.Api"), [], new Dictionary<string, string>
        {
            ["DATABASE_URL"] = readerUrl,
            ["HOST"] = "127.0.0.1",
            ["PORT"] = port.ToString(CultureInfo.InvariantCulture),
            ["EXPLORER_URL"] = ExplorerUrl,
            ["CORS_ORIGINS"] = AllowedOrigin.Origin,
            // Every page the tests open comes from 127.0.0.1, one client to the rate limiter: it is not what is tested here.
            ["RATE_LIMIT_PER_MINUTE"] = "0",
        });
        using (var http = new HttpClient { BaseAddress = new Uri(ApiUrl) })
        {
            await Eventually.TrueAsync(
                async () => api.HasExited || (await http.GetAsync("/health")).IsSuccessStatusCode,
                TimeSpan.FromSeconds(60),
                () => $"the API answers /health.\n{api.Output}");
        }

        if (api.HasExited)
        {
            throw new InvalidOperationException($"Query.Api exited.\n{api.Output}");
        }

        AllowedOrigin.Serve(ApiUrl);
        OtherOrigin.Serve(ApiUrl);
        TestContext.Progress.WriteLine(
            $"Dashboard run: {simulation.Workflows.Count} workflows on anvil, indexed and served at {ApiUrl} in {(DateTime.UtcNow - started).TotalSeconds:0.0} s");
    }

    private static Dictionary<string, string> WorkerEnvironment(SimulationResult chain, string databaseUrl) => new()
    {
        ["RPC_URL"] = chain.RpcUrl,
        ["CHAIN_ID"] = chain.ChainId.ToString(CultureInfo.InvariantCulture),
        ["CONTRACT_ADDRESS"] = chain.ContractAddress,
        ["BLOCK_START"] = chain.DeployBlock.ToString(CultureInfo.InvariantCulture),
        ["DATABASE_URL"] = databaseUrl,
        ["CONFIRMATION_BLOCKS"] = ConfirmationBlocks.ToString(CultureInfo.InvariantCulture),
        ["POLL_INTERVAL_MS"] = "200",
        ["HEARTBEAT_INTERVAL_MS"] = "1000",
        ["PROOF_INTERVAL_MS"] = "2000",
    };

    private static async Task<long?> LastIndexedBlockAsync(string databaseUrl)
    {
        await using var connection = new NpgsqlConnection(DatabaseUrl.Parse(databaseUrl).ConnectionString);
        await connection.OpenAsync();
        return await connection.QuerySingleOrDefaultAsync<long?>("SELECT last_block FROM sync_checkpoint WHERE id = 1");
    }

    private async Task StopAsync()
    {
        foreach (var process in new[] { _api, _worker })
        {
            if (process is not null)
            {
                await process.DisposeAsync();
            }
        }

        if (_anvil is not null)
        {
            await _anvil.DisposeAsync();
        }

        AllowedOrigin.Dispose();
        OtherOrigin.Dispose();
        _mining.Dispose();
    }
}
