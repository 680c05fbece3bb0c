using System.Globalization;
using System.Text.Json;
using NUnit.Framework;
using TestSupport;

namespace Indexer.Worker.Tests.Backfill;

[TestFixture]
[NonParallelizable]
public sealed class BackfillTests
{
    private SimulatedChain chain = null!;
    private ObservedDatabase database = null!;
    private RunningApi api = null!;
    private IReadOnlyList<string> uninterruptedProjection = [];
    private IReadOnlyList<string> uninterruptedEventLog = [];

    [OneTimeSetUp]
    public async Task IndexTheSimulatedChainOnce()
    {
        chain = await SimulatedChain.StartAsync();
        database = await ObservedDatabase.CreateAsync();
        await using (var worker = Processes.StartWorker(Processes.WorkerEnvironment(chain.Result, database)))
        {
            await Processes.WaitForCatchUpAsync(database, chain.Result.LastBlock, worker);
        }

        uninterruptedProjection = await database.ProjectionAsync();
        uninterruptedEventLog = await database.EventLogAsync();
        api = await Processes.StartApiAsync(database);
    }

    [OneTimeTearDown]
    public async Task StopEverything()
    {
        await api.DisposeAsync();
        await chain.DisposeAsync();
    }

    [Test]
    public async Task Stats_AfterCatchUp_EqualTheSimulatorsExpectedCounts()
    {
        var stats = await api.GetJsonAsync("/stats");
        var expected = chain.Result.Expected;

        Assert.Multiple(() =>
        {
            Assert.That(stats.GetProperty("total").GetInt32(), Is.EqualTo(expected.Total));
            Assert.That(stats.GetProperty("running").GetInt32(), Is.EqualTo(expected.Running));
            Assert.That(stats.GetProperty("completed").GetInt32(), Is.EqualTo(expected.Completed));
            Assert.That(stats.GetProperty("failed").GetInt32(), Is.EqualTo(expected.Failed));
            Assert.That(stats.GetProperty("rejected").GetInt32(), Is.EqualTo(expected.Rejected));
            Assert.That(expected.Total, Is.EqualTo(SimulatedChain.Workflows));
        });
    }

    [Test]
    public async Task EventLog_HoldsEverySimulatedEventOnce()
    {
        await Assert.MultipleAsync(async () =>
        {
            Assert.That(uninterruptedEventLog, Has.Count.EqualTo(chain.EventCount));
            Assert.That(await database.ScalarAsync("SELECT count(DISTINCT (tx_hash, log_index)) FROM chain_event"), Is.EqualTo(chain.EventCount));
        });
    }

    [Test]
    public async Task WorkflowDetail_ForEverySimulatedWorkflow_MatchesWhatTheSimulatorSent()
    {
        foreach (var simulated in chain.Result.Workflows)
        {
            var detail = await api.GetJsonAsync($"/workflows/{simulated.WorkflowId}");
            var workflow = detail.GetProperty("workflow");
            var timeline = detail.GetProperty("events").EnumerateArray().Select(Describe).ToList();
            var sent = simulated.Events.Select(sentEvent => string.Join(
                '|',
                sentEvent.EventType,
                sentEvent.BlockNumber,
                sentEvent.TransactionIndex,
                sentEvent.LogIndex,
                sentEvent.TxHash,
                sentEvent.BlockTimestamp)).ToList();
            var settlements = detail.GetProperty("settlements").EnumerateArray()
                .Select(settlement => $"{settlement.GetProperty("from").GetString()}>{settlement.GetProperty("to").GetString()}:{settlement.GetProperty("amount").GetString()}")
                .ToList();
            var sentPayments = simulated.Events.Where(sentEvent => sentEvent.EventType == "PAYMENT_EXECUTED")
                .Select(payment => $"{payment.From}>{payment.To}:{payment.Amount?.ToString(CultureInfo.InvariantCulture)}")
                .ToList();

            Assert.Multiple(() =>
            {
                Assert.That(timeline, Is.EqualTo(sent), simulated.WorkflowId);
                Assert.That(workflow.GetProperty("status").GetString(), Is.EqualTo(simulated.ExpectedStatus), simulated.WorkflowId);
                Assert.That(workflow.GetProperty("initiator").GetString(), Is.EqualTo(simulated.Initiator), simulated.WorkflowId);
                Assert.That(settlements, Is.EqualTo(sentPayments), simulated.WorkflowId);
            });
        }
    }

    [Test]
    public async Task WorkflowList_PagesThroughEveryWorkflowNewestFirst()
    {
        var seen = new List<string>();
        for (var offset = 0; ; offset += 128)
        {
            var page = await api.GetJsonAsync($"/workflows?limit=128&offset={offset}");
            if (page.GetArrayLength() == 0)
            {
                break;
            }

            seen.AddRange(page.EnumerateArray().Select(item => item.GetProperty("workflowId").GetString()!));
        }

        var newestFirst = chain.Result.Workflows
            .OrderByDescending(workflow => (workflow.Events[0].BlockNumber, workflow.Events[0].TransactionIndex, workflow.Events[0].LogIndex))
            .Select(workflow => workflow.WorkflowId)
            .ToList();
        Assert.That(seen, Is.EqualTo(newestFirst));
    }

    // The swapped-in table's indexes, constraints and grants, by name: as the migrations made them.
    private const string ProjectionSchema = """
        SELECT 'index ' || indexname || ': ' || indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename = 'workflow_state'
        UNION ALL
        SELECT 'constraint ' || conname || ': ' || pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'public.workflow_state'::regclass
        UNION ALL
        SELECT 'grant ' || grantee || ': ' || privilege_type FROM information_schema.role_table_grants WHERE table_schema = 'public' AND table_name = 'workflow_state'
        ORDER BY 1
        """;

    [Test]
    public async Task Restart_ReplaysTheLog_ToIdenticalProjectionRowsAndStats()
    {
        var statsBefore = (await api.GetJsonAsync("/stats")).GetRawText();
        var replayBefore = await database.ReplayFinishedAtAsync();

        await using (var worker = Processes.StartWorker(Processes.WorkerEnvironment(chain.Result, database)))
        {
            await Eventually.TrueAsync(
                async () => await database.ReplayFinishedAtAsync() > replayBefore,
                Processes.CatchUpTimeout,
                $"the restarted worker should replay.\n{worker.Output}");
        }

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(await database.ProjectionAsync(), Is.EqualTo(uninterruptedProjection));
            Assert.That((await api.GetJsonAsync("/stats")).GetRawText(), Is.EqualTo(statsBefore));
        });
    }

    [Test]
    public async Task ReplayCommand_RebuildsAnIdenticalProjectionAndExits()
    {
        var schemaBefore = await database.TextsAsync(ProjectionSchema);
        await using var worker = Processes.StartWorker(Processes.WorkerEnvironment(chain.Result, database), "replay");
        var exitCode = await worker.WaitForExitAsync(Processes.CatchUpTimeout);

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(exitCode, Is.Zero, worker.Output);
            Assert.That(worker.Output, Does.Contain($"Replay done: {chain.EventCount} events into {SimulatedChain.Workflows} workflows"));
            Assert.That(await database.ProjectionAsync(), Is.EqualTo(uninterruptedProjection));
            Assert.That(await database.TextsAsync(ProjectionSchema), Is.EqualTo(schemaBefore));
        });
    }

    [Test]
    public async Task ReplayCommand_EmptyLog_EmptiesAProjectionRowWithoutEvents()
    {
        var empty = await ObservedDatabase.CreateAsync();
        await empty.ScalarAsync("""
            WITH stale AS (
                INSERT INTO workflow_state (workflow_id, status, phase, first_event_block, first_event_transaction_index,
                    first_event_log_index, last_event_block, last_event_transaction_index, last_event_log_index, event_count,
                    settled_total, decisions, settlements, anomalies)
                VALUES ('0x' || repeat('ab', 32), 'running', 'started', 1, 0, 0, 1, 0, 0, 1, 0, '[]', '[]', '[]')
                RETURNING 1)
            SELECT count(*) FROM stale
            """);

        await using var worker = Processes.StartWorker(Processes.WorkerEnvironment(chain.Result, empty), "replay");
        var exitCode = await worker.WaitForExitAsync(Processes.CatchUpTimeout);

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(exitCode, Is.Zero, worker.Output);
            Assert.That(worker.Output, Does.Contain("Replay done: 0 events into 0 workflows"));
            Assert.That(await empty.ScalarAsync("SELECT count(*) FROM workflow_state"), Is.Zero);
        });
    }

    [Test]
    public async Task WorkerKilledMidBackfill_ResumesToTheSameLogAndProjection_WithoutDuplicates()
    {
        var crashed = await ObservedDatabase.CreateAsync();
        var environment = Processes.WorkerEnvironment(chain.Result, crashed, maxBlockRange: 1);
        var firstBlock = chain.Result.DeployBlock;
        var killAt = firstBlock + ((chain.Result.LastBlock - firstBlock) / 3);

        // The node answers nothing above the kill point, so the kill lands mid-backfill however fast the worker is.
        await using var stalling = FaultProxy.Start(environment["RPC_URL"]);
        stalling.Inject(new FaultKind.Timeout(HoldFor: TimeSpan.FromSeconds(30)), when: request => request.Calls.Any(call => call.LogsRange?.To > killAt));
        await using (var worker = Processes.StartWorker(new Dictionary<string, string>(environment) { ["RPC_URL"] = stalling.Url }))
        {
            await Eventually.TrueAsync(
                async () => await crashed.LastIngestedBlockAsync() >= killAt,
                Processes.CatchUpTimeout,
                $"the worker should get a third of the way.\n{worker.Output}");
            worker.Kill();
            await worker.WaitForExitAsync(TimeSpan.FromSeconds(10));
        }

        var reachedBeforeKill = await crashed.LastIngestedBlockAsync();
        Assert.That(reachedBeforeKill, Is.LessThan(chain.Result.LastBlock), "the kill must land mid-backfill");

        await using (var worker = Processes.StartWorker(environment))
        {
            await Processes.WaitForCatchUpAsync(crashed, chain.Result.LastBlock, worker);
        }

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(await crashed.EventLogAsync(), Is.EqualTo(uninterruptedEventLog));
            Assert.That(await crashed.ProjectionAsync(), Is.EqualTo(uninterruptedProjection));
        });
    }

    private static string Describe(JsonElement timelineEvent) => string.Join(
        '|',
        timelineEvent.GetProperty("eventType").GetString(),
        timelineEvent.GetProperty("blockNumber").GetInt64(),
        timelineEvent.GetProperty("transactionIndex").GetInt32(),
        timelineEvent.GetProperty("logIndex").GetInt32(),
        timelineEvent.GetProperty("txHash").GetString(),
        timelineEvent.GetProperty("blockTimestamp").GetInt64());
}
