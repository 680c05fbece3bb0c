using System.Diagnostics;
using System.Globalization;
using Indexer.Worker.Tests.Backfill;
using NUnit.Framework;
using Simulator.Simulation;
using TestSupport;

namespace Indexer.Worker.Tests.Operations;

/// <summary>A real Prometheus scrapes the real worker and API; what it stores agrees with /status and the database.</summary>
[TestFixture]
[NonParallelizable]
public sealed class PrometheusTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    private AnvilNode anvil = null!;
    private SimulationResult chain = null!;

    [OneTimeSetUp]
    public async Task StartAChain()
    {
        var started = await SimulatedChain.StartAsync(workflows: 120, seed: 87, workflowsPerBlock: 4);
        (anvil, chain) = (started.Anvil, started.Result);
    }

    [OneTimeTearDown]
    public Task StopChain() => anvil.DisposeAsync().AsTask();

    [Test]
    public async Task Prometheus_ScrapesWorkerAndApi_ItsLagAndIngestedEventsAgreeWithStatusAndTheDatabase()
    {
        var database = await ObservedDatabase.CreateAsync();
        await using var api = await Processes.StartApiAsync(database);
        var environment = Processes.WorkerEnvironment(chain, database, maxBlockRange: 5);
        await using var worker = WorkerProbe.Start(environment);
        await using var prometheus = await PrometheusServer.StartAsync(new Dictionary<string, string>
        {
            ["x402-indexer"] = $"127.0.0.1:{worker.Port}",
            ["x402-query-api"] = $"127.0.0.1:{api.Http.BaseAddress!.Port}",
        });
        var scrapeTimes = await ScrapeTimesWhileCatchingUpAsync(worker, database);
        await Processes.WaitForCatchUpAsync(database, chain.LastBlock, worker.Process);
        var status = await api.GetJsonAsync("/status");
        var events = await database.ScalarAsync("SELECT count(*) FROM chain_event");

        (double? Events, double? LastBlock, double? Lag) seen = default;
        await Eventually.TrueAsync(
            async () =>
            {
                seen = (await prometheus.ValueAsync("x402_indexer_events_ingested_total"),
                    await prometheus.ValueAsync("x402_indexer_last_indexed_block"),
                    await prometheus.ValueAsync("x402_indexer_lag_blocks"));
                var scraped = await prometheus.QueryAsync("up == 1");
                var requests = await prometheus.QueryAsync("http_server_request_duration_seconds_count{job=\"x402-query-api\",http_route=\"/status\"}");
                return scraped.Count == 2 && requests.Count > 0
                    && seen.Events == events
                    && seen.LastBlock == status.GetProperty("lastIndexedBlock").GetInt64()
                    && seen.Lag == status.GetProperty("lagBlocks").GetInt64();
            },
            Timeout,
            () => $"Prometheus should hold what /status says ({status}) and {events} events; it has {seen}.\n{prometheus.Output}");
        var requests = await prometheus.QueryAsync("http_server_request_duration_seconds_count{job=\"x402-query-api\"}");

        var up = await prometheus.QueryAsync("up");
        var scrapeDuration = await prometheus.ValueAsync("max_over_time(scrape_duration_seconds{job=\"x402-indexer\"}[5m])");
        await TestContext.Out.WriteLineAsync(
            $"Worker /metrics during catch-up: {scrapeTimes.Count} scrapes, median {Median(scrapeTimes):F1} ms, max {scrapeTimes.Max():F1} ms; " +
            $"Prometheus's longest scrape of the worker {scrapeDuration * 1000:F1} ms");

        Assert.Multiple(() =>
        {
            Assert.That(up.Select(sample => (sample.Labels["job"], sample.Value)), Is.EquivalentTo(new[] { ("x402-indexer", 1.0), ("x402-query-api", 1.0) }));
            Assert.That(requests.Select(sample => sample.Labels.GetValueOrDefault("http_route")), Does.Contain("/status"), "requests by route");
            Assert.That(requests.Where(sample => sample.Labels.GetValueOrDefault("http_route") == "/status")
                .Select(sample => sample.Labels.GetValueOrDefault("http_response_status_code")), Does.Contain("200"), "and status");
            Assert.That(scrapeTimes, Is.Not.Empty);
            Assert.That(scrapeDuration, Is.LessThan(PrometheusServer.ScrapeInterval.TotalSeconds));
        });
    }

    /// <summary>Times GET /metrics of the worker while it indexes (each scrape in ms), until it has caught up and answered once.</summary>
    private async Task<List<double>> ScrapeTimesWhileCatchingUpAsync(WorkerProbe worker, ObservedDatabase database)
    {
        var times = new List<double>();
        var deadline = DateTime.UtcNow + Timeout;
        // At least one scrape answered: the worker may catch up before it answers the first.
        while (DateTime.UtcNow < deadline && (times.Count == 0 || (await database.LastIngestedBlockAsync() ?? -1) < chain.LastBlock))
        {
            var clock = Stopwatch.StartNew();
            try
            {
                var (status, _) = await worker.GetAsync("/metrics");
                if (status == System.Net.HttpStatusCode.OK)
                {
                    times.Add(clock.Elapsed.TotalMilliseconds);
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet: the worker is still starting.
            }

            await Task.Delay(50);
        }

        return times;
    }

    private static double Median(List<double> values) =>
        values.Count == 0 ? double.NaN : values.Order().ElementAt(values.Count / 2);
}
