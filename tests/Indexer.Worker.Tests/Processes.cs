using System.Text.Json;
using Simulator.Simulation;
using TestSupport;

namespace Indexer.Worker.Tests;

/// <summary>Starts the real worker and API processes from their built output.</summary>
public static class Processes
{
    public static readonly TimeSpan CatchUpTimeout = TimeSpan.FromMinutes(2);

    public static Dictionary<string, string> WorkerEnvironment(
        SimulationResult chain, ObservedDatabase database, int confirmationBlocks = 3, int maxBlockRange = 2000) => new()
    {
        ["RPC_URL"] = chain.RpcUrl,
        ["CHAIN_ID"] = chain.ChainId.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["CONTRACT_ADDRESS"] = chain.ContractAddress,
        ["BLOCK_START"] = chain.DeployBlock.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["DATABASE_URL"] = database.Url,
        ["CONFIRMATION_BLOCKS"] = confirmationBlocks.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["MAX_BLOCK_RANGE"] = maxBlockRange.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["POLL_INTERVAL_MS"] = "100",
        ["PROGRESS_LOG_INTERVAL_MS"] = "1000",
        ["HEARTBEAT_INTERVAL_MS"] = "500",
    };

    public static ChildProcess StartWorker(IReadOnlyDictionary<string, string> environment, params string[] arguments) =>
        ChildProcess.StartIndexerWorker(arguments, FreePort.WithMetricsPort(environment));

    /// <summary>Starts the API on a free port and waits until it answers /health.</summary>
    public static async Task<RunningApi> StartApiAsync(ObservedDatabase database)
    {
        var port = FreePort.Next();
        var process = ChildProcess.StartDotnet(RepoLayout.BuiltDll("Query.Api"), [], new Dictionary<string, string>
        {
            ["DATABASE_URL"] = database.ReaderUrl,
            ["HOST"] = "127.0.0.1",
            ["PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            // The tests read every workflow through the API, far beyond the default rate limit.
            ["RATE_LIMIT_PER_MINUTE"] = "0",
        });
        var api = new RunningApi(process, new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") });
        await Eventually.TrueAsync(api.AnswersAsync, TimeSpan.FromSeconds(30), $"the API should answer /health.\n{process.Output}");
        return api;
    }

    public static Task WaitForCatchUpAsync(ObservedDatabase database, long block, ChildProcess worker) =>
        Eventually.TrueAsync(
            async () => await database.LastIngestedBlockAsync() >= block,
            CatchUpTimeout,
            () => $"the worker should ingest up to block {block}.\n{worker.Output}");

    /// <summary>
    /// Indexes <paramref name="chain"/> up to <paramref name="lastBlock"/> into a fresh database with one
    /// uninterrupted worker: the log and projection a disturbed run over the same chain must end with.
    /// </summary>
    public static async Task<ObservedDatabase> IndexUninterruptedAsync(SimulationResult chain, long lastBlock, int confirmationBlocks)
    {
        var database = await ObservedDatabase.CreateAsync();
        await using var worker = StartWorker(WorkerEnvironment(chain, database, confirmationBlocks));
        await WaitForCatchUpAsync(database, lastBlock, worker);
        return database;
    }
}

public sealed class RunningApi(ChildProcess process, HttpClient http) : IAsyncDisposable
{
    public HttpClient Http { get; } = http;

    public ChildProcess Process { get; } = process;

    public async Task<JsonElement> GetJsonAsync(string path)
    {
        using var response = await Http.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"GET {path} answered {(int)response.StatusCode}: {body}");
        }

        return JsonSerializer.Deserialize<JsonElement>(body);
    }

    public async Task<bool> AnswersAsync()
    {
        try
        {
            using var response = await Http.GetAsync("/health");
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Process.DisposeAsync();
    }
}
