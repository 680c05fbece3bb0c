using NUnit.Framework;
using TestSupport;

namespace Indexer.Worker.Tests.Faults;

/// <summary>
/// The worker behind a fault-injecting proxy in front of real anvil: for each fault kind, a fresh
/// database must end with exactly the events and projection of a faithful run.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class RpcFaultTests
{
    private static readonly Func<RpcRequest, bool> LogRequests = request => request.Has("eth_getLogs");

    // eth_chainId is the start-up check, which gives up (by design) instead of waiting for a broken node.
    private static readonly Func<RpcRequest, bool> OtherIngestionRequests = request => !request.Has("eth_getLogs") && !request.Has("eth_chainId");

    private ReferenceChain chain = null!;

    private static IEnumerable<TestCaseData> TransientFaults() =>
    [
        new TestCaseData(new FaultKind.Http500(), "HTTP 500").SetArgDisplayNames("Http500"),
        new TestCaseData(new FaultKind.Http503(), "HTTP 503").SetArgDisplayNames("Http503"),
        new TestCaseData(new FaultKind.Timeout(HoldFor: TimeSpan.FromSeconds(2)), "timeout").SetArgDisplayNames("Timeout"),
        new TestCaseData(new FaultKind.ConnectionReset(), "An error occurred while sending the request").SetArgDisplayNames("ConnectionReset"),
        new TestCaseData(new FaultKind.TruncatedJson(), "Error while copying content to a stream").SetArgDisplayNames("TruncatedJson"),
        new TestCaseData(new FaultKind.MalformedJson(), "Unexpected character encountered while parsing").SetArgDisplayNames("MalformedJson"),
    ];

    [OneTimeSetUp]
    public async Task IndexTheReferenceChainFaithfully()
    {
        chain = await ReferenceChain.StartAsync();
        Assert.That(chain.EventLog, Has.Count.EqualTo(chain.EventCount), "the faithful run must hold every simulated event");
        Assert.That(chain.Result.LastBlock - chain.Result.DeployBlock, Is.GreaterThan(3 * ProxiedWorker.MaxBlockRange), "the chain must span several ranges");
    }

    [OneTimeTearDown]
    public Task StopChain() => chain.DisposeAsync().AsTask();

    /// <param name="logged">What the worker's retry warning says about this fault: proof that it reached the worker as what it is.</param>
    [TestCaseSource(nameof(TransientFaults))]
    public async Task TransientFault_IsRetried_AndTheLogEqualsTheReference(FaultKind fault, string logged)
    {
        await using var run = await ProxiedWorker.StartAsync(chain, proxy =>
        {
            proxy.Inject(fault, times: 2, when: OtherIngestionRequests);
            proxy.Inject(fault, times: 3, when: LogRequests);
        });

        await run.WaitForCatchUpAsync();

        await run.AssertIngestedExactlyTheReferenceAsync();
        // A held request counts once the proxy drops it, which may be after the worker moved on.
        await Eventually.TrueAsync(() => Task.FromResult(run.Proxy.Injected(fault) == 5), TimeSpan.FromSeconds(5), $"all five {fault} faults were delivered");
        Assert.That(run.Process.Output, Does.Contain(logged).IgnoreCase.And.Contain("RPC call failed"));
    }

    [Test]
    public async Task Http429_RetryAfterIsWaitedOut_BeforeTheNextRequest()
    {
        var tooMany = new FaultKind.Http429(RetryAfterSeconds: 1);
        await using var run = await ProxiedWorker.StartAsync(chain, proxy => proxy.Inject(tooMany, times: 3, when: LogRequests));

        await run.WaitForCatchUpAsync();

        await run.AssertIngestedExactlyTheReferenceAsync();
        Assert.Multiple(() =>
        {
            Assert.That(run.Proxy.Injected(tooMany), Is.EqualTo(3));
            // The worker's own first backoffs are 0.2 and 0.4 s: only Retry-After explains a whole second.
            // 15 ms of slack for timer granularity.
            Assert.That(run.Proxy.PausesAfter(tooMany), Has.Count.EqualTo(3).And.All.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(985)));
        });
    }

    [TestCase(-32005, "limit exceeded")]
    [TestCase(-32000, "query returned more than 10000 results")]
    public async Task RangeTooLarge_SplitsTheRange_UntilTheNodeAnswers(int code, string message)
    {
        const int NodeLimit = ProxiedWorker.MaxBlockRange / 2;
        var refusal = new FaultKind.RpcError(code, message, "eth_getLogs");
        await using var run = await ProxiedWorker.StartAsync(
            chain, proxy => proxy.Inject(refusal, when: request => request.Calls.Any(call => call.LogsRange?.Length > NodeLimit)));

        await run.WaitForCatchUpAsync();

        await run.AssertIngestedExactlyTheReferenceAsync();
        var served = run.Proxy.ForwardedLogRanges.Distinct().OrderBy(range => range.From).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(run.Proxy.Injected(refusal), Is.GreaterThan(0));
            Assert.That(run.Proxy.RequestedLogRanges[0].Length, Is.EqualTo(ProxiedWorker.MaxBlockRange), "the first request asks the full range");
            Assert.That(served.Select(range => range.Length), Has.All.LessThanOrEqualTo(NodeLimit), "only split ranges get through");
            Assert.That(served[0].From, Is.EqualTo(chain.Result.DeployBlock));
            Assert.That(served[^1].To, Is.EqualTo(chain.Result.LastBlock));
            Assert.That(served.Zip(served.Skip(1)).All(pair => pair.Second.From == pair.First.To + 1), Is.True, "the served ranges tile the chain");
        });
    }

    [Test]
    public async Task WideRangeWithoutAnAnswerInTime_IsSplit_NotRetriedAtTheSameWidth()
    {
        // A node that takes longer than RPC_TIMEOUT_MS for any range above its comfortable width.
        const int NodeLimit = ProxiedWorker.MaxBlockRange / 2;
        var held = new FaultKind.Timeout(HoldFor: TimeSpan.FromSeconds(2));
        await using var run = await ProxiedWorker.StartAsync(
            chain, proxy => proxy.Inject(held, when: request => request.Calls.Any(call => call.LogsRange?.Length > NodeLimit)));

        await run.WaitForCatchUpAsync();

        await run.AssertIngestedExactlyTheReferenceAsync();
        var served = run.Proxy.ForwardedLogRanges.Distinct().OrderBy(range => range.From).ToList();
        var wideRequests = run.Proxy.RequestedLogRanges.Where(range => range.Length > NodeLimit).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(run.Proxy.Injected(held), Is.GreaterThan(0));
            Assert.That(wideRequests, Is.Unique, "a range that timed out is split, not asked again at the same width");
            Assert.That(served.Select(range => range.Length), Has.All.LessThanOrEqualTo(NodeLimit), "only split ranges get answers");
            Assert.That(served.Zip(served.Skip(1)).All(pair => pair.Second.From == pair.First.To + 1), Is.True, "the served ranges tile the chain");
            Assert.That(run.Process.Output, Does.Contain("no answer within RPC_TIMEOUT_MS"));
        });
    }

    [Test]
    public async Task RepeatedFailures_OpenTheCircuitBreaker_VisibleInStatusAndLog_ThenItClosesAndFinishes()
    {
        var failure = new FaultKind.Http500();
        // Two retries per call instead of six: the failures that open the breaker then come within
        // seconds rather than after six ever longer backoffs.
        await using var run = await ProxiedWorker.StartAsync(
            chain, proxy => proxy.Inject(failure, when: OtherIngestionRequests), new Dictionary<string, string> { ["RPC_MAX_RETRIES"] = "2" });
        await using var api = await Processes.StartApiAsync(run.Database);

        await Eventually.TrueAsync(
            async () => await RpcCircuitAsync(api) == "open",
            TimeSpan.FromSeconds(20),
            () => $"/status should show the RPC circuit open.\n{run.Process.Output}");
        var lastBlockWhileOpen = await run.Database.LastIngestedBlockAsync();
        run.Proxy.ClearFaults();
        await run.WaitForCatchUpAsync();
        await Eventually.TrueAsync(
            async () => await RpcCircuitAsync(api) == "closed",
            TimeSpan.FromSeconds(10),
            () => $"/status should show the RPC circuit closed again.\n{run.Process.Output}");

        await run.AssertIngestedExactlyTheReferenceAsync();
        Assert.Multiple(() =>
        {
            Assert.That(lastBlockWhileOpen, Is.EqualTo(chain.Result.DeployBlock - 1), "nothing was ingested while every call failed");
            Assert.That(run.Proxy.Injected(failure), Is.GreaterThan(0));
            Assert.That(run.Process.Output, Does.Contain("circuit breaker opened").And.Contain("circuit breaker closed"));
        });
    }

    [Test]
    public async Task NodeDownAtStart_TheWorkerWaitsWithItsWriterConnectionOpenButNotTheLock_ThenIndexes()
    {
        var down = new FaultKind.Http503();
        // No retries of single calls (RPC_MAX_RETRIES=0): the preflight's own wait is what the worker does while the node is down.
        await using var run = await ProxiedWorker.StartAsync(
            chain, proxy => proxy.Inject(down), new Dictionary<string, string> { ["RPC_MAX_RETRIES"] = "0" });
        await run.Process.WaitForLineAsync(line => line.Contains("Not ready to start", StringComparison.Ordinal), TimeSpan.FromSeconds(20));

        // Opened while the preflight ran, so taking the lock later costs no new session.
        await Eventually.TrueAsync(
            async () => await run.Database.ScalarAsync(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'x402-indexer-writer' AND datname = current_database()") == 1,
            TimeSpan.FromSeconds(10),
            () => $"the writer's connection should be open while the preflight waits.\n{run.Process.Output}");
        var locksWhileDown = await run.Database.ScalarAsync("""
            SELECT count(*) FROM pg_locks
            WHERE locktype = 'advisory' AND granted AND objid = x'78343032'::int
              AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
            """);
        run.Proxy.ClearFaults();
        await run.WaitForCatchUpAsync();

        await run.AssertIngestedExactlyTheReferenceAsync();
        Assert.That(locksWhileDown, Is.Zero, "a worker whose preflight fails does not hold the writer lock, so a standby with a working node can write");
    }

    [Test]
    public async Task LaggingNodeBehindTheLoadBalancer_NeverHasItsMissingLogsRecorded()
    {
        // The lagging node's head sits just below the last block with an event, so that its
        // answers for the last ranges lack at least that event while the head came from a fresh node.
        var laggingHead = chain.LastEventBlock - 1;
        var lagging = new FaultKind.LaggingNode(LagBlocks: (int)(chain.Head - laggingHead));
        await using var run = await ProxiedWorker.StartAsync(
            chain, proxy => proxy.Inject(lagging, times: 4, when: request => request.Calls.Any(call => call.LogsRange?.To > laggingHead)));

        await run.WaitForCatchUpAsync();

        await run.AssertIngestedExactlyTheReferenceAsync();
        Assert.That(run.Proxy.Injected(lagging), Is.EqualTo(4));
    }

    [Test]
    public async Task HeadGoesBackwards_NothingBreaks_AndTheLogEqualsTheReference()
    {
        // First a head halfway up the chain (the worker ingests to there), then one at the
        // deployment block, below what is already ingested, a few times; then the real head.
        var span = (int)(chain.Head - chain.Result.DeployBlock);
        var halfway = new FaultKind.HeadGoesBackwards(span / 2);
        var belowCheckpoint = new FaultKind.HeadGoesBackwards(span);
        await using var run = await ProxiedWorker.StartAsync(chain, proxy =>
        {
            proxy.Inject(halfway, times: 1, when: request => request.Has("eth_blockNumber"));
            proxy.Inject(belowCheckpoint, times: 3, when: request => request.Has("eth_blockNumber"));
        });

        await run.WaitForCatchUpAsync();

        await run.AssertIngestedExactlyTheReferenceAsync();
        Assert.Multiple(() =>
        {
            Assert.That(run.Proxy.Injected(halfway), Is.EqualTo(1));
            Assert.That(run.Proxy.Injected(belowCheckpoint), Is.EqualTo(3));
        });
    }

    private static async Task<string?> RpcCircuitAsync(RunningApi api) =>
        (await api.GetJsonAsync("/status")).GetProperty("worker").GetProperty("rpcCircuit").GetString();
}
