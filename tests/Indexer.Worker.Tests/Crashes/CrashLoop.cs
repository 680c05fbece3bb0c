using Indexer.Worker.Tests.DatabaseFaults;
using NUnit.Framework;
using Simulator.Simulation;
using TestSupport;

namespace Indexer.Worker.Tests.Crashes;

/// <summary>
/// One database, one growing chain, and the real worker started and SIGKILLed again and again. A seeded
/// random picks each moment; it only chooses WHEN to kill, so no assertion depends on timing. What the
/// worker was doing at each kill is read back from the database and tallied.
/// </summary>
public sealed class CrashLoop : IAsyncDisposable
{
    public const int ConfirmationBlocks = 3;

    // Two blocks a range: the backlog takes many ranges, so backfill kills land at many points of it.
    private const int MaxBlockRange = 2;

    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(10);

    private readonly AnvilNode anvil;
    private readonly SimulationResult deployed;
    private readonly ObservedDatabase database;
    private readonly DatabaseProbe probe;
    private readonly Random random;
    private readonly Dictionary<string, string> environment;

    private CrashLoop(AnvilNode anvil, SimulationResult deployed, ObservedDatabase database, DatabaseProbe probe, Random random)
    {
        this.anvil = anvil;
        this.deployed = deployed;
        this.database = database;
        this.probe = probe;
        this.random = random;
        environment = Processes.WorkerEnvironment(deployed, database, ConfirmationBlocks, MaxBlockRange);
        LastBlock = deployed.LastBlock;
        CanonicalEvents = ExactIndex.EventCount(deployed);
    }

    public KillTally Tally { get; } = new();

    /// <summary>The last block holding simulated events.</summary>
    public long LastBlock { get; private set; }

    /// <summary>How many events the simulator has made the contract emit so far.</summary>
    public int CanonicalEvents { get; private set; }

    public static async Task<CrashLoop> StartAsync(AnvilNode anvil, SimulationResult deployed, ObservedDatabase database, Random random) =>
        new(anvil, deployed, database, await DatabaseProbe.OpenAsync(database), random);

    /// <summary>Confirmed blocks the log does not hold yet.</summary>
    public async Task<long> BacklogAsync() => await ConfirmedHeadAsync() - await IngestedUpToAsync();

    /// <summary>
    /// Kills the worker a random moment (up to <paramref name="maxDelay"/>) after its replay started. The test holds
    /// workflow_state meanwhile, as a reader would, so the replay cannot swap its table in before the kill: the log
    /// of this test replays in a few milliseconds, less than the worker's log line takes to reach the test.
    /// </summary>
    public async Task KillDuringReplayAsync(TimeSpan maxDelay)
    {
        var delay = TimeSpan.FromMilliseconds(random.Next((int)maxDelay.TotalMilliseconds + 1));
        await using var reader = await WriterBlocker.HoldAsync(database, "LOCK TABLE workflow_state IN ACCESS SHARE MODE");
        await RunAndKillAsync(async worker =>
        {
            await worker.WaitForLineAsync(line => line.Contains("Replay started", StringComparison.Ordinal), StepTimeout);
            await Task.Delay(delay);
        });
    }

    /// <summary>Kills the worker once the checkpoint passes a random block up to <paramref name="maxStep"/> blocks ahead, inside the backlog.</summary>
    public async Task KillDuringBackfillAsync(int maxStep)
    {
        // The last range the node answers starts at most a block past the target, so it ends before the backlog does.
        var target = Math.Min(await IngestedUpToAsync() + random.Next(1, maxStep + 1), await ConfirmedHeadAsync() - MaxBlockRange - 1);
        // A unit takes every range fetched ahead: without the stall, the worker could commit the rest of the
        // backlog in the unit that passes the target, and the kill would land after the backfill.
        await using var stalling = FaultProxy.Start(anvil.RpcUrl);
        stalling.Inject(new FaultKind.Timeout(HoldFor: StepTimeout), when: request => request.Calls.Any(call => call.LogsRange?.From > target + 1));
        await RunAndKillAsync(worker => probe.UntilCheckpointAsync(target, worker, StepTimeout), stalling.Url);
    }

    /// <summary>
    /// Lets the worker catch up, then has the simulator add workflows while it follows, and kills it once
    /// it has ingested a random number of the new blocks.
    /// </summary>
    public async Task KillWhileFollowingAsync()
    {
        var caughtUp = await ConfirmedHeadAsync();
        var target = caughtUp + random.Next(1, ConfirmationBlocks + 1);
        // At least two workflows per block over several rounds, plus the confirmations: more new blocks than the target needs.
        var options = new SimulationOptions(anvil.RpcUrl, random.Next(3, 7), random.Next(), WorkflowsPerBlock: 2, deployed.ContractAddress);
        Task<SimulationResult>? simulation = null;
        await RunAndKillAsync(async worker =>
        {
            await probe.UntilCheckpointAsync(caughtUp, worker, StepTimeout);
            simulation = SimulateAndConfirmAsync(options);
            await probe.UntilCheckpointAsync(target, worker, StepTimeout);
        });

        var added = await simulation!;
        LastBlock = added.LastBlock;
        CanonicalEvents += ExactIndex.EventCount(added);
    }

    /// <summary>Starts one last worker and lets it ingest every simulated block, uninterrupted.</summary>
    public async Task CatchUpAsync()
    {
        await using var worker = Processes.StartWorker(environment);
        await Processes.WaitForCatchUpAsync(database, LastBlock, worker);
    }

    public ValueTask DisposeAsync() => probe.DisposeAsync();

    /// <param name="rpcUrl">The node as this worker reaches it, when not anvil directly.</param>
    private async Task RunAndKillAsync(Func<ChildProcess, Task> untilTheMoment, string? rpcUrl = null)
    {
        var startedAt = await probe.ClockAsync();
        var backlogEnd = await ConfirmedHeadAsync();
        await using var worker = Processes.StartWorker(rpcUrl is null ? environment : new Dictionary<string, string>(environment) { ["RPC_URL"] = rpcUrl });
        await untilTheMoment(worker);
        Assert.That(worker.HasExited, Is.False, $"the worker must run until it is killed\n{worker.Output}");

        worker.Kill();
        await worker.WaitForExitAsync(ExitTimeout);
        Tally.Add(await probe.PhaseOfKillAsync(startedAt, backlogEnd));
    }

    private async Task<SimulationResult> SimulateAndConfirmAsync(SimulationOptions options)
    {
        var added = await WorkflowSimulator.RunAsync(options, CancellationToken.None);
        await anvil.MineAsync(ConfirmationBlocks);
        return added;
    }

    private async Task<long> ConfirmedHeadAsync() => await anvil.BlockNumberAsync() - ConfirmationBlocks;

    // Before the first worker creates the checkpoint, nothing up to the block before BLOCK_START is "ingested".
    private async Task<long> IngestedUpToAsync() => await probe.CheckpointAsync() ?? deployed.DeployBlock - 1;
}
