using Indexer.Worker.Tests.Backfill;
using NUnit.Framework;
using TestSupport;

namespace Indexer.Worker.Tests.Proofs;

/// <summary>
/// Determinism proofs on real processes: two databases indexing one chain prove the same hashes,
/// equal to the ones computed here from the log; verify passes on a healthy projection, fails naming
/// a row corrupted by hand, and passes again after replay.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class DeterminismProofTests
{
    private SimulatedChain chain = null!;
    private ObservedDatabase first = null!;
    private ObservedDatabase second = null!;
    private StoredProofRow firstProof = null!;
    private StoredProofRow secondProof = null!;

    [OneTimeSetUp]
    public async Task IndexTheSameChainIntoTwoDatabases()
    {
        chain = await SimulatedChain.StartAsync();
        first = await ObservedDatabase.CreateAsync();
        second = await ObservedDatabase.CreateAsync();
        await using var firstWorker = Processes.StartWorker(WorkerEnvironment(first));
        await using var secondWorker = Processes.StartWorker(WorkerEnvironment(second));
        firstProof = await WaitForProofOfTheWholeChainAsync(first, firstWorker);
        secondProof = await WaitForProofOfTheWholeChainAsync(second, secondWorker);
    }

    [OneTimeTearDown]
    public async Task StopTheChain() => await chain.DisposeAsync();

    [Test]
    public async Task TwoDatabases_IndexingTheSameChain_ProveIdenticalHashes_EqualToTheLogsOwn()
    {
        var computedHere = await InProcessProof.ComputeAsync(first);

        Assert.Multiple(() =>
        {
            Assert.That(secondProof.CoveredBlock, Is.EqualTo(firstProof.CoveredBlock));
            Assert.That(secondProof.EventLogHash, Is.EqualTo(firstProof.EventLogHash));
            Assert.That(secondProof.ProjectionHash, Is.EqualTo(firstProof.ProjectionHash));
            Assert.That(firstProof.EventCount, Is.EqualTo(chain.EventCount));
            Assert.That(firstProof.WorkflowCount, Is.EqualTo(SimulatedChain.Workflows));
            Assert.That(firstProof.EventLogHash, Is.EqualTo(computedHere.EventLogHash));
            Assert.That(firstProof.ProjectionHash, Is.EqualTo(computedHere.ProjectionHash));
            Assert.That(firstProof.EventLogHash, Does.Match("^0x[0-9a-f]{64}$"));
        });
    }

    [Test]
    public async Task Status_ShowsTheStoredProof()
    {
        // Read now: the worker may have replaced the proof (same hashes, later time) before it stopped.
        var stored = await first.DeterminismProofAsync();
        await using var api = await Processes.StartApiAsync(first);

        var proofs = (await api.GetJsonAsync("/status")).GetProperty("proofs");

        Assert.Multiple(() =>
        {
            Assert.That(stored, Is.Not.Null);
            Assert.That(proofs.GetProperty("coveredBlock").GetInt64(), Is.EqualTo(stored!.CoveredBlock));
            Assert.That(proofs.GetProperty("eventCount").GetInt64(), Is.EqualTo(stored.EventCount));
            Assert.That(proofs.GetProperty("eventLogHash").GetString(), Is.EqualTo(stored.EventLogHash));
            Assert.That(proofs.GetProperty("workflowCount").GetInt64(), Is.EqualTo(stored.WorkflowCount));
            Assert.That(proofs.GetProperty("projectionHash").GetString(), Is.EqualTo(stored.ProjectionHash));
            Assert.That(proofs.GetProperty("computedAt").GetDateTime(), Is.EqualTo(stored.ComputedAt).Within(TimeSpan.FromMilliseconds(1)));
        });
    }

    [Test]
    public async Task Verify_HealthyProjection_PrintsTheSummaryAndExitsZero()
    {
        var (exitCode, output) = await VerifyAsync(first);

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.Zero, output);
            Assert.That(output, Does.Contain($"{chain.EventCount} events, {SimulatedChain.Workflows} workflows rebuilt"));
            Assert.That(output, Does.Contain($"rows: {SimulatedChain.Workflows} equal, 0 different, 0 missing, 0 extra"));
            Assert.That(output, Does.Contain($"projection hash: stored {firstProof.ProjectionHash}, rebuilt {firstProof.ProjectionHash} (equal)"));
            Assert.That(output, Does.Contain($"event log hash: {firstProof.EventLogHash} (equal to the stored proof of the same block)"));
            Assert.That(output, Does.Contain("verify: OK"));
        });
    }

    [Test]
    public async Task Verify_RowCorruptedByHand_FailsNamingTheWorkflowAndColumn_UntilReplayRestoresIt()
    {
        var corrupted = await second.TextAsync("""
            UPDATE workflow_state SET status = 'completed'
            WHERE workflow_id = (SELECT min(workflow_id) FROM workflow_state WHERE status = 'running')
            RETURNING workflow_id
            """);
        Assert.That(corrupted, Is.Not.Null, "the simulated chain should leave a running workflow to corrupt");

        var (failedCode, failedOutput) = await VerifyAsync(second);
        await using (var replay = Processes.StartWorker(WorkerEnvironment(second), "replay"))
        {
            Assert.That(await replay.WaitForExitAsync(Processes.CatchUpTimeout), Is.Zero, replay.Output);
        }

        var (restoredCode, restoredOutput) = await VerifyAsync(second);

        Assert.Multiple(() =>
        {
            Assert.That(failedCode, Is.EqualTo(1), failedOutput);
            Assert.That(failedOutput, Does.Contain($"rows: {SimulatedChain.Workflows - 1} equal, 1 different, 0 missing, 0 extra"));
            Assert.That(failedOutput, Does.Contain($"{corrupted}: status stored \"completed\", rebuilt \"running\""));
            Assert.That(failedOutput, Does.Contain($"rebuilt {secondProof.ProjectionHash} (DIFFERENT)"));
            Assert.That(failedOutput, Does.Contain("verify: MISMATCH"));
            Assert.That(restoredCode, Is.Zero, restoredOutput);
            Assert.That(restoredOutput, Does.Contain($"projection hash: stored {secondProof.ProjectionHash}, rebuilt {secondProof.ProjectionHash} (equal)"));
        });
    }

    [Test]
    public async Task Verify_MissingAndExtraRows_AreCountedAndNamed_UntilReplayRestoresThem()
    {
        var lowest = "0x" + new string('0', 64);
        var highest = "0x" + new string('f', 64);
        var missing = await second.TextAsync("""
            DELETE FROM workflow_state WHERE workflow_id = (SELECT max(workflow_id COLLATE "C") FROM workflow_state)
            RETURNING workflow_id
            """);
        foreach (var extra in new[] { lowest, highest })
        {
            await second.TextAsync($"""
                INSERT INTO workflow_state
                SELECT '{extra}', status, phase, initiator, started_at, completed_at, failure_reason,
                       first_event_block, first_event_transaction_index, first_event_log_index,
                       last_event_block, last_event_transaction_index, last_event_log_index,
                       event_count, settled_total, decisions, settlements, anomalies
                FROM workflow_state WHERE workflow_id = (SELECT min(workflow_id) FROM workflow_state)
                RETURNING workflow_id
                """);
        }

        var (failedCode, failedOutput) = await VerifyAsync(second);
        await using (var replay = Processes.StartWorker(WorkerEnvironment(second), "replay"))
        {
            Assert.That(await replay.WaitForExitAsync(Processes.CatchUpTimeout), Is.Zero, replay.Output);
        }

        var (restoredCode, restoredOutput) = await VerifyAsync(second);

        Assert.Multiple(() =>
        {
            Assert.That(failedCode, Is.EqualTo(1), failedOutput);
            Assert.That(failedOutput, Does.Contain($"rows: {SimulatedChain.Workflows - 1} equal, 0 different, 1 missing, 2 extra"));
            Assert.That(failedOutput, Does.Contain($"{lowest}: extra"));
            Assert.That(failedOutput, Does.Contain($"{missing}: missing"));
            Assert.That(failedOutput, Does.Contain($"{highest}: extra"));
            Assert.That(restoredCode, Is.Zero, restoredOutput);
        });
    }

    [Test]
    public async Task Verify_EventLogRewrittenUnderTheProof_FailsOnTheEventLogHashAndTheRow()
    {
        const string Failure = "(SELECT min(id::text)::uuid FROM chain_event WHERE event_type = 'WORKFLOW_FAILED')";
        var original = await second.TextAsync($"SELECT payload::text FROM chain_event WHERE id = {Failure}");
        var tampered = await second.TextAsync($$"""
            UPDATE chain_event SET payload = jsonb_set(payload, '{reason}', '"rewritten"')
            WHERE id = {{Failure}} RETURNING workflow_id
            """);
        Assert.That(tampered, Is.Not.Null, "the simulated chain should hold a failed workflow");

        var (exitCode, output) = await VerifyAsync(second);
        await second.TextAsync(
            $"UPDATE chain_event SET payload = @Original::jsonb WHERE id = {Failure} RETURNING workflow_id", new { Original = original });

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(1), output);
            Assert.That(output, Does.Contain($"(DIFFERENT from the stored proof of the same block, {secondProof.EventLogHash})"));
            Assert.That(output, Does.Contain($"{tampered}: failure_reason stored "));
            Assert.That(output, Does.Contain("rebuilt \"rewritten\""));
        });
    }

    private Dictionary<string, string> WorkerEnvironment(ObservedDatabase database)
    {
        var environment = Processes.WorkerEnvironment(chain.Result, database);
        environment["PROOF_INTERVAL_MS"] = "200";
        return environment;
    }

    private async Task<StoredProofRow> WaitForProofOfTheWholeChainAsync(ObservedDatabase database, ChildProcess worker)
    {
        StoredProofRow? proof = null;
        await Eventually.TrueAsync(
            async () => (proof = await database.DeterminismProofAsync()) is { CoveredBlock: { } block } && block >= chain.Result.LastBlock,
            Processes.CatchUpTimeout,
            $"the worker should prove the log up to block {chain.Result.LastBlock}.\n{worker.Output}");
        return proof!;
    }

    private async Task<(int ExitCode, string Output)> VerifyAsync(ObservedDatabase database)
    {
        await using var verify = Processes.StartWorker(WorkerEnvironment(database), "verify");
        var exitCode = await verify.WaitForExitAsync(Processes.CatchUpTimeout);
        TestContext.Out.WriteLine(verify.Output);
        return (exitCode, verify.Output);
    }
}
