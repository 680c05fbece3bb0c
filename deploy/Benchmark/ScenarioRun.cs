using System.Diagnostics;
using System.Globalization;
using Benchmark.Chain;
using Benchmark.Database;
using Benchmark.Phases;
using Benchmark.Processes;
using Benchmark.Report;
using Benchmark.Scenarios;
using Simulator.Bulk;
using TestSupport;

namespace Benchmark;

/// <summary>
/// One scenario, every phase in one run: the chain, the sweep ceiling, catch-up by the real worker, the
/// COPY ceilings, replay, the checks of each database against the expected result, live latency and wrk.
/// A phase that cannot complete ends the scenario with a failure; the phases before it are still reported.
/// </summary>
public static class ScenarioRun
{
    private static readonly TimeSpan ReplayTimeout = TimeSpan.FromMinutes(30);
    private static readonly TimeSpan ApiStartTimeout = TimeSpan.FromMinutes(1);

    public static async Task<ScenarioReport> RunAsync(Scenario scenario, BenchmarkOptions options, TextWriter log, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        await using var chain = await ScenarioChain.BuildOrLoadAsync(scenario, options.CacheDirectory, log, cancellationToken);
        var built = chain.Built;
        var chainText = Describe(built, chain.FromCache, clock.Elapsed);
        log.WriteLine($"{scenario.Name}: {chainText}");

        var workDirectory = Directory.CreateTempSubdirectory($"x402-bench-{scenario.Name}-").FullName;
        var checks = new Dictionary<string, IReadOnlyList<string>>();
        var measured = new Measured();
        string? failure = null;
        try
        {
            await MeasureAsync(scenario, options, chain, workDirectory, checks, measured, log, cancellationToken);
        }
        catch (Exception error) when (error is BenchmarkPhaseException or TimeoutException or HttpRequestException
            or Npgsql.NpgsqlException or InvalidOperationException or IOException)
        {
            // The phases so far are still reported; the run fails.
            failure = error is BenchmarkPhaseException ? error.Message : $"{error.GetType().Name}: {error.Message}";
            log.WriteLine($"{scenario.Name}: FAILED: {error.Message}");
        }
        finally
        {
            Directory.Delete(workDirectory, recursive: true);
        }

        return new ScenarioReport(scenario.Name, chainText, measured.Rows(built.Totals.Events), measured.Live, measured.Api, checks, failure);
    }

    private static async Task MeasureAsync(
        Scenario scenario,
        BenchmarkOptions options,
        ScenarioChain chain,
        string workDirectory,
        Dictionary<string, IReadOnlyList<string>> checks,
        Measured measured,
        TextWriter log,
        CancellationToken cancellationToken)
    {
        var built = chain.Built;
        var databaseName = "bench_" + scenario.Name.Replace('-', '_');
        var observer = new ObserverProcesses(options.PublishedDirectory);

        log.WriteLine($"{scenario.Name}: eth_getLogs sweep ({scenario.SweepPageBlocks}-block pages, {LogSweep.RequestsInFlight} in flight)");
        // One page first, untimed: the ceiling is the node's and the parsing's, not this process's first calls (JIT, connections).
        await LogSweep.RunAsync(
            built.RpcUrl, built.ContractAddress, built.DeployBlock + 1, Math.Min(built.LastBlock, built.DeployBlock + scenario.SweepPageBlocks),
            scenario.SweepPageBlocks, scenario.SweepFetchesHeaders, cancellationToken);
        measured.Sweep = await LogSweep.RunAsync(
            built.RpcUrl, built.ContractAddress, built.DeployBlock + 1, built.LastBlock, scenario.SweepPageBlocks, scenario.SweepFetchesHeaders, cancellationToken);
        checks["eth_getLogs sweep"] = measured.Sweep.Logs == built.Totals.Events
            ? []
            : [string.Create(CultureInfo.InvariantCulture, $"logs: expected {built.Totals.Events}, found {measured.Sweep.Logs}")];

        var indexed = await BenchDatabase.CreateMigratedAsync(options.AdminDatabaseUrl, databaseName, cancellationToken);
        log.WriteLine($"{scenario.Name}: catch-up by Indexer.Worker (default settings) to block {built.LastBlock}");
        measured.CatchUp = await CatchUp.RunAsync(observer, built, indexed, scenario.StallTimeout, log, cancellationToken);
        checks["worker-built database"] = await ExpectedResultCheck.DifferencesAsync(indexed, built, cancellationToken);

        log.WriteLine($"{scenario.Name}: COPY ceilings");
        var fresh = await BenchDatabase.CreateMigratedAsync(options.AdminDatabaseUrl, databaseName + "_copy", cancellationToken);
        await indexed.SettleAsync(cancellationToken);
        measured.Copy = await CopyCeiling.RunAsync(indexed, fresh, workDirectory, cancellationToken);
        // Gone before the replay, and with it the autovacuum its fresh tables would get while the replay is timed.
        await BenchDatabase.DropAsync(options.AdminDatabaseUrl, fresh.Name, cancellationToken);
        await indexed.SettleAsync(cancellationToken);

        log.WriteLine($"{scenario.Name}: Indexer.Worker replay");
        measured.Replay = await Replay.RunAsync(observer, built, indexed, ReplayTimeout, cancellationToken);
        checks["replayed database"] = await ExpectedResultCheck.DifferencesAsync(indexed, built, cancellationToken);
        await indexed.SettleAsync(cancellationToken);

        var port = FreePort.Next();
        await using var api = observer.StartApi(indexed, port);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
        await Eventually.TrueAsync(
            async () => api.HasExited || (await http.GetAsync("/health", cancellationToken)).IsSuccessStatusCode,
            ApiStartTimeout,
            () => $"Query.Api answers /health. Output:\n{api.Output}");
        if (api.HasExited)
        {
            throw new BenchmarkPhaseException($"Query.Api exited at start:\n{CatchUp.Tail(api.Output)}");
        }

        log.WriteLine($"{scenario.Name}: live latency over {scenario.LiveBlocks} blocks");
        measured.Live = await LiveLatency.RunAsync(observer, chain, indexed, http, scenario.LiveBlocks, scenario.StallTimeout, log, cancellationToken);

        // As on a server answering for a while: wrk measures the API, not the upkeep after the live phase's writes.
        await indexed.SettleAsync(cancellationToken);
        log.WriteLine($"{scenario.Name}: wrk, {scenario.WrkDuration.TotalSeconds:0} s per URL");
        measured.Api = await ApiLoad.RunAsync(http.BaseAddress!.ToString(), indexed, scenario.WrkDuration, workDirectory, cancellationToken);
    }

    private static string Describe(BulkResult built, bool fromCache, TimeSpan took) => string.Create(CultureInfo.InvariantCulture,
        $"{built.Totals.Events:N0} events, {built.Expected.Total:N0} workflows, blocks {built.DeployBlock + 1:N0}..{built.LastBlock:N0} " +
        $"({built.BlocksWithEvents:N0} with events), {built.Transactions:N0} batch transactions; chain {(fromCache ? "loaded from the cache" : "built")} in {took.TotalSeconds:F0} s");

    /// <summary>What the phases measured so far; the table shows whatever completed.</summary>
    private sealed class Measured
    {
        public LogSweep.Outcome? Sweep { get; set; }

        public CatchUp.Outcome? CatchUp { get; set; }

        public CopyCeiling.Outcome? Copy { get; set; }

        public Replay.Outcome? Replay { get; set; }

        public LiveLatency.Outcome? Live { get; set; }

        public IReadOnlyList<ApiLoad.UrlResult> Api { get; set; } = [];

        public IReadOnlyList<PhaseRow> Rows(long events)
        {
            var rows = new List<PhaseRow>();
            if (Sweep is not null)
            {
                rows.Add(new PhaseRow("sweep ceiling (eth_getLogs)", Sweep.Logs, Sweep.Seconds, null, null, null,
                    Sweep.Headers > 0 ? $"plus {Sweep.Headers} block headers" : ""));
            }

            if (Copy is not null)
            {
                rows.Add(new PhaseRow("COPY ceiling (events + workflow rows)", Copy.Events, Copy.EventsSeconds + Copy.StatesSeconds, null, null, null,
                    string.Create(CultureInfo.InvariantCulture, $"{Copy.Workflows} workflow rows")));
            }

            if (CatchUp is not null)
            {
                double? ceiling = Sweep is not null && Copy is not null ? Sweep.Seconds + Copy.EventsSeconds + Copy.StatesSeconds : null;
                rows.Add(new PhaseRow("catch-up (Indexer.Worker)", events, CatchUp.Seconds, CatchUp.Seconds / ceiling,
                    CatchUp.Stats.CpuSeconds, CatchUp.Stats.PeakRssBytes, "ratio to sweep + COPY"));
            }

            if (Copy is not null)
            {
                rows.Add(new PhaseRow("replay ceiling (COPY read + write)", Copy.Events, Copy.ReplayOrderReadSeconds + Copy.StatesSeconds, null, null, null, ""));
            }

            if (Replay is not null && Copy is not null)
            {
                rows.Add(new PhaseRow("replay (Indexer.Worker replay)", events, Replay.Seconds,
                    Replay.Seconds / (Copy.ReplayOrderReadSeconds + Copy.StatesSeconds), Replay.Stats.CpuSeconds, Replay.Stats.PeakRssBytes, "ratio to replay ceiling"));
            }

            return rows;
        }
    }
}
