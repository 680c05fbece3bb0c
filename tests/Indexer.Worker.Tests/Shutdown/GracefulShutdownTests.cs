using System.Diagnostics;
using Indexer.Worker.Tests.Backfill;
using Npgsql;
using NUnit.Framework;
using TestSupport;

namespace Indexer.Worker.Tests.Shutdown;

/// <summary>
/// SIGTERM as an orchestrator sends it: the writer releases its lock and says so, a standby takes over at
/// once (not at its next poll), the process exits 0; SIGTERM to `replay` leaves the old projection alone.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class GracefulShutdownTests
{
    // Long enough that a takeover within it can only come from the writer's announcement.
    private const int SlowPollMs = 20_000;
    private const int DefaultPollMs = 1_000;
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(15);

    private SimulatedChain chain = null!;

    [OneTimeSetUp]
    public async Task StartTheChain() => chain = await SimulatedChain.StartAsync();

    [OneTimeTearDown]
    public ValueTask StopTheChain() => chain.DisposeAsync();

    [Test]
    public async Task SigtermToTheWriter_ExitsZero_MarksItStopped_AndTheStandbyTakesOverAtOnce()
    {
        var (database, writer, standby) = await StartWriterAndStandbyAsync(SlowPollMs);
        await using var writerProcess = writer;
        await using var standbyProcess = standby;

        var clock = Stopwatch.StartNew();
        writer.Terminate();
        await standby.WaitForLineAsync(line => line.Contains("This worker holds the writer lock", StringComparison.Ordinal), StopTimeout);
        var takeover = clock.Elapsed;
        var exitCode = await writer.WaitForExitAsync(StopTimeout);
        TestContext.Out.WriteLine($"standby took over {takeover.TotalMilliseconds:F0} ms after SIGTERM (poll interval {SlowPollMs} ms)");

        Assert.Multiple(async () =>
        {
            Assert.That(exitCode, Is.Zero, writer.Output);
            Assert.That(takeover, Is.LessThan(TimeSpan.FromMilliseconds(SlowPollMs)), "announced, not found by polling");
            Assert.That(writer.Output, Does.Contain("Stopped"));
            Assert.That(await database.ScalarAsync("SELECT count(*) FROM worker_instance WHERE stopped_at IS NOT NULL"), Is.EqualTo(1));
        });
        await Eventually.TrueAsync(
            async () => await database.ScalarAsync("SELECT count(*) FROM worker_instance WHERE role = 'writer' AND stopped_at IS NULL") == 1,
            StopTimeout,
            "the new writer's heartbeat names it the writer");
    }

    [Test]
    public async Task SigkillToTheWriter_TheStandbyFindsTheFreedLockAtItsNextPoll()
    {
        var (database, writer, standby) = await StartWriterAndStandbyAsync(DefaultPollMs);
        await using var writerProcess = writer;
        await using var standbyProcess = standby;

        var clock = Stopwatch.StartNew();
        writer.Kill();
        await standby.WaitForLineAsync(line => line.Contains("This worker holds the writer lock", StringComparison.Ordinal), StopTimeout);
        TestContext.Out.WriteLine($"standby took over {clock.Elapsed.TotalMilliseconds:F0} ms after SIGKILL (poll interval {DefaultPollMs} ms)");

        Assert.That(await database.ScalarAsync("SELECT count(*) FROM worker_instance WHERE stopped_at IS NOT NULL"), Is.Zero, "a killed worker says nothing");
    }

    [Test]
    public async Task SigtermDuringReplay_LeavesTheOldProjectionIntact()
    {
        var database = await Processes.IndexUninterruptedAsync(chain.Result, chain.Result.LastBlock, SimulatedChain.ConfirmationBlocks);
        var before = await database.ProjectionAsync();

        // A reader (as the API is) holds workflow_state: the replay builds its new table, then waits to swap it in.
        await using var reader = new NpgsqlConnection(ServiceDefaults.Configuration.DatabaseUrl.Parse(database.Url).ConnectionString);
        await reader.OpenAsync();
        await using var transaction = await reader.BeginTransactionAsync();
        await using (var hold = new NpgsqlCommand("LOCK TABLE workflow_state IN ACCESS SHARE MODE", reader, transaction))
        {
            await hold.ExecuteNonQueryAsync();
        }

        await using var replay = Processes.StartWorker(Processes.WorkerEnvironment(chain.Result, database), "replay");
        await Eventually.TrueAsync(
            async () => await database.ScalarAsync(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE 'x402-indexer%' AND wait_event_type = 'Lock'") > 0,
            StopTimeout,
            () => $"the replay waits to swap.\n{replay.Output}");
        replay.Terminate();
        var exitCode = await replay.WaitForExitAsync(StopTimeout);
        await transaction.RollbackAsync();

        Assert.Multiple(async () =>
        {
            Assert.That(exitCode, Is.EqualTo(130), replay.Output);
            Assert.That(replay.Output, Does.Contain("the projection is unchanged"));
            Assert.That(await database.ProjectionAsync(), Is.EqualTo(before));
            Assert.That(await database.TextAsync("SELECT replay_state FROM indexer_status WHERE id = 1"), Is.EqualTo("failed"));
        });
    }

    /// <summary>A writer caught up with the chain, and a second worker standing by for its lock.</summary>
    private async Task<(ObservedDatabase Database, ChildProcess Writer, ChildProcess Standby)> StartWriterAndStandbyAsync(int pollMs)
    {
        var database = await ObservedDatabase.CreateAsync();
        var environment = Processes.WorkerEnvironment(chain.Result, database);
        environment["WRITER_LOCK_POLL_MS"] = pollMs.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var writer = Processes.StartWorker(environment);
        await Processes.WaitForCatchUpAsync(database, chain.Result.LastBlock, writer);
        var standby = Processes.StartWorker(environment);
        await standby.WaitForLineAsync(line => line.Contains("standing by", StringComparison.Ordinal), StopTimeout);
        return (database, writer, standby);
    }
}
