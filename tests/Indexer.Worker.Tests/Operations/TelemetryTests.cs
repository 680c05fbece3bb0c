using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Indexer.Worker.Tests.Backfill;
using NUnit.Framework;
using ServiceDefaults.Configuration;
using Simulator.Simulation;
using TestSupport;

namespace Indexer.Worker.Tests.Operations;

/// <summary>
/// The worker's traces reach a real OTLP receiver, its JSON log is one object per line with the span's trace id,
/// and neither they nor /metrics ever carry the database password or the RPC key.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class TelemetryTests
{
    private const string RpcKey = "Rpc-Api-Key-7f3c9a";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private AnvilNode anvil = null!;
    private SimulationResult chain = null!;

    [OneTimeSetUp]
    public async Task StartAChain()
    {
        var started = await SimulatedChain.StartAsync(workflows: 8, seed: 83, workflowsPerBlock: 2);
        (anvil, chain) = (started.Anvil, started.Result);
    }

    [OneTimeTearDown]
    public Task StopChain() => anvil.DisposeAsync().AsTask();

    [Test]
    public async Task Worker_ExportsRangeReplaySpansOverOtlp_LogsJsonWithTraceIds_AndNeverASecret()
    {
        await using var receiver = new OtlpReceiver();
        var database = await ObservedDatabase.CreateAsync();
        var password = DatabaseUrl.Parse(database.Url).Password!;
        var environment = Processes.WorkerEnvironment(chain, database);
        foreach (var (name, value) in receiver.Settings)
        {
            environment[name] = value;
        }

        environment["LOG_FORMAT"] = "json";
        environment["RPC_URL"] = chain.RpcUrl.Replace("http://", $"http://x402:{RpcKey}@", StringComparison.Ordinal);
        await using var worker = WorkerProbe.Start(environment);
        await Processes.WaitForCatchUpAsync(database, chain.LastBlock, worker.Process);
        await Eventually.TrueAsync(
            () => Task.FromResult(receiver.Spans.Any(span => span.Name == "replay")
                && receiver.Spans.Any(span => span.Name == "range" && long.Parse(span.Attributes["x402.block.to"], CultureInfo.InvariantCulture) >= chain.LastBlock)),
            Timeout,
            () => $"the replay's and the last range's spans should arrive; got {string.Join(", ", receiver.Spans.Select(span => span.Name))}");
        var (metricsStatus, metrics) = await worker.GetAsync("/metrics");

        var ranges = receiver.Spans.Where(span => span.Scope == "X402.Indexer" && span.Name == "range").ToList();
        var withEvents = ranges.First(span => int.Parse(span.Attributes["x402.events"], CultureInfo.InvariantCulture) > 0);
        var children = receiver.Spans.Where(span => span.ParentSpanId == withEvents.SpanId).ToList();
        var replay = receiver.Spans.Single(span => span.Name == "replay");
        Assert.Multiple(() =>
        {
            Assert.That(withEvents.Resource["service.name"], Is.EqualTo("x402-indexer"));
            Assert.That(long.Parse(withEvents.Attributes["x402.block.from"], CultureInfo.InvariantCulture), Is.GreaterThanOrEqualTo(chain.DeployBlock));
            Assert.That(ranges.Sum(span => int.Parse(span.Attributes["x402.events"], CultureInfo.InvariantCulture)), Is.EqualTo(chain.Workflows.Sum(workflow => workflow.Events.Count)), "every event in some range");
            Assert.That(children.Select(span => span.Name), Is.SupersetOf(new[] { "fetch", "decode", "commit" }));
            Assert.That(children.Select(span => span.TraceId), Is.All.EqualTo(withEvents.TraceId));
            Assert.That(children.Where(span => span.Name == "decode").Sum(span => int.Parse(span.Attributes["x402.events"], CultureInfo.InvariantCulture)),
                Is.EqualTo(int.Parse(withEvents.Attributes["x402.events"], CultureInfo.InvariantCulture)));
            Assert.That(replay.Attributes, Does.ContainKey("x402.events"));
        });

        var lines = worker.Process.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var entries = lines.Select(line => JsonDocument.Parse(line).RootElement).ToList();
        var replayStarted = entries.First(entry => entry.GetProperty("Message").GetString()!.StartsWith("Replay started", StringComparison.Ordinal));
        Assert.Multiple(() =>
        {
            Assert.That(entries, Is.Not.Empty);
            Assert.That(entries.All(entry => entry.TryGetProperty("Timestamp", out _) && entry.TryGetProperty("LogLevel", out _)
                && entry.TryGetProperty("Category", out _) && entry.TryGetProperty("State", out _)), Is.True, worker.Process.Output);
            Assert.That(replayStarted.GetProperty("State").GetProperty("Total").ValueKind, Is.EqualTo(JsonValueKind.Number), "structured fields");
            Assert.That(
                replayStarted.GetProperty("Scopes").EnumerateArray().Select(scope => scope.TryGetProperty("TraceId", out var id) ? id.GetString() : null),
                Does.Contain(replay.TraceId), "the line written inside the replay's span carries its trace id");
        });

        var everything = new[] { worker.Process.Output, metrics }
            .Concat(receiver.Payloads.Select(payload => Encoding.UTF8.GetString(payload)));
        Assert.Multiple(() =>
        {
            Assert.That(metricsStatus, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(everything, Has.None.Contain(password), "the database password");
            Assert.That(everything, Has.None.Contain(RpcKey), "the RPC key");
        });
    }
}
