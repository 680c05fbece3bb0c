using System.Text.Json;
using TestSupport;

namespace Benchmark.Tests;

/// <summary>The benchmark command at its tiny size, end to end: it must run every phase and match the expected result. Timings are not judged here.</summary>
[NonParallelizable]
public sealed class BenchmarkCommandTests
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(3);

    private static readonly string[] Phases =
    [
        "sweep ceiling (eth_getLogs)",
        "COPY ceiling (events + workflow rows)",
        "catch-up (Indexer.Worker)",
        "replay ceiling (COPY read + write)",
        "replay (Indexer.Worker replay)",
    ];

    private static readonly string[] CheckedDatabases = ["eth_getLogs sweep", "worker-built database", "replayed database"];

    private string resultsPath = null!;

    [SetUp]
    public void ChooseResultsPath() => resultsPath = Path.Combine(Path.GetTempPath(), $"x402-bench-test-{Guid.NewGuid():N}", "results");

    [TearDown]
    public void DeleteResults() => Directory.Delete(Path.GetDirectoryName(resultsPath)!, recursive: true);

    [Test]
    public async Task TheTinyScenarioRunsEveryPhaseAndMatchesTheExpectedResult()
    {
        var postgres = await SharedPostgres.GetAsync();
        var benchmark = Path.Combine(RepoLayout.Root, "deploy", "Benchmark", "bin", RepoLayout.Configuration, "net10.0", "Benchmark.dll");

        await using var run = ChildProcess.StartDotnet(benchmark, ["--scenario", "tiny", "--database-url", postgres.AdminUrl, "--results", resultsPath]);
        var exitCode = await run.WaitForExitAsync(RunTimeout);

        Assert.That(exitCode, Is.Zero, run.Output);
        using var results = JsonDocument.Parse(await File.ReadAllTextAsync(resultsPath + ".json"));
        var scenario = results.RootElement.GetProperty("scenarios").EnumerateArray().Single();
        var phases = scenario.GetProperty("phases").EnumerateArray().Select(phase => phase.GetProperty("phase").GetString()).ToList();
        var checks = scenario.GetProperty("checks").EnumerateObject().ToDictionary(check => check.Name, check => check.Value.GetArrayLength());
        Assert.Multiple(() =>
        {
            Assert.That(scenario.GetProperty("scenario").GetString(), Is.EqualTo("tiny"));
            Assert.That(phases, Is.EqualTo(Phases));
            Assert.That(scenario.GetProperty("phases").EnumerateArray().Select(phase => phase.GetProperty("events").GetInt64()), Has.All.Positive);
            Assert.That(checks.Keys, Is.EquivalentTo(CheckedDatabases));
            Assert.That(checks.Values, Has.All.Zero, "differences from the expected result");
            Assert.That(scenario.GetProperty("failure").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(scenario.GetProperty("live").GetProperty("blocks").GetInt32(), Is.EqualTo(10));
            Assert.That(scenario.GetProperty("api").GetArrayLength(), Is.EqualTo(5));
            Assert.That(run.Output, Does.Contain("peak RSS").And.Contain("live latency over 10 blocks").And.Contain("req/s"));
            foreach (var phase in Phases)
            {
                Assert.That(run.Output, Does.Contain(phase));
            }
        });
    }
}
