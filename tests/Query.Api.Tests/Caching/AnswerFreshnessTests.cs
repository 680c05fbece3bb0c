using System.Net;
using Core.Domain.Events;
using Indexer.Worker.EventLog;
using Indexer.Worker.Ingestion;
using Indexer.Worker.Replay;
using Indexer.Worker.Status;
using Microsoft.Extensions.Logging.Abstractions;
using ServiceDefaults.Configuration;
using Npgsql;
using NUnit.Framework;
using Query.Api.Tests.Support;
using TestSupport;

namespace Query.Api.Tests.Caching;

/// <summary>
/// Answers are reused until the data version moves, and never after. Each test has its own seeded
/// database and API process, started with CACHE_MAX_STALENESS_MS=0: the bound is then "none", so the
/// first request after a commit must already see it, with no waiting. To tell a reused answer from a
/// fresh one, the tests change workflow_state behind the worker's back (as no worker ever does):
/// such a change leaves the version alone, so the API keeps answering what it answered before.
/// </summary>
public sealed class AnswerFreshnessTests
{
    private static readonly Dictionary<string, string> NoStaleness = new() { ["CACHE_MAX_STALENESS_MS"] = "0" };

    private static readonly string NewWorkflow = Seed.WorkflowId("started after the answers were reused");

    [Test]
    public async Task CommittedRange_AfterAnswersWereReused_IsVisibleToTheFirstRequestAfterIt()
    {
        await using var fixture = await Fixture.StartAsync();
        var before = await fixture.AnswersAsync();
        await fixture.ChangeBehindTheWorkersBackAsync();

        Assert.That(await fixture.AnswersAsync(), Is.EqualTo(before), "the data version did not move: every answer is reused");

        await using (var connection = await fixture.Database.OpenConnectionAsync())
        {
            await RangeCommitter.CommitAsync(
                connection,
                Seed.Range(111, 112, Seed.Log(111, 7, 0, Seed.Alice, (at, ts) => new WorkflowStarted(NewWorkflow, at, ts, Seed.Alice))),
                Seed.ChainId,
                Seed.Contract,
                CancellationToken.None);
        }

        var after = await fixture.AnswersAsync();
        Assert.Multiple(() =>
        {
            Assert.That(after.Stats, Is.EqualTo("""{"total":5,"running":1,"completed":2,"failed":1,"rejected":1}"""));
            Assert.That(after.FirstPageIds, Is.EqualTo(new[] { NewWorkflow }.Concat(Seed.NewestFirst)));
            Assert.That(after.RunningStatus, Is.EqualTo("completed"));
            Assert.That(after.EventCount, Is.EqualTo(Seed.EventCount + 1));
        });
    }

    [Test]
    public async Task ReplaySwap_WithoutACheckpointMove_IsVisibleToTheFirstRequestAfterIt()
    {
        await using var fixture = await Fixture.StartAsync();
        await fixture.ChangeBehindTheWorkersBackAsync();
        var changed = await fixture.AnswersAsync();
        Assert.That(changed.RunningStatus, Is.EqualTo("completed"), "answered from the changed rows, then reused");

        var status = new StatusStore(fixture.Database, new WorkerInstance("answer-freshness", Seed.ChainId, DateTimeOffset.UtcNow));
        var rebuilder = new ProjectionRebuilder(fixture.Database, status, NullLogger<ProjectionRebuilder>.Instance);
        await using (var writing = await fixture.Database.OpenConnectionAsync())
        {
            await rebuilder.RebuildAsync(writing, CancellationToken.None);
        }

        var replayed = await fixture.AnswersAsync();
        Assert.Multiple(() =>
        {
            Assert.That(replayed.RunningStatus, Is.EqualTo("running"), "the rebuilt row, from the log");
            Assert.That(replayed.Stats, Is.EqualTo("""{"total":4,"running":1,"completed":1,"failed":1,"rejected":1}"""));
            Assert.That(replayed.EventCount, Is.EqualTo(changed.EventCount), "the checkpoint did not move");
        });
    }

    [Test]
    public async Task ReorgRewind_IsVisibleToTheFirstRequestAfterIt()
    {
        await using var fixture = await Fixture.StartAsync();
        var before = await fixture.AnswersAsync();
        Assert.That(before.RunningEvents, Is.EqualTo(2));

        // What a reorg repair commits in one transaction: the events above the common ancestor leave the
        // log, the workflows they touched are derived again, and the checkpoint moves back.
        const long ancestor = 105;
        await using (var connection = await fixture.Database.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await Execute(connection, "DELETE FROM chain_event WHERE block_number > $1", ancestor);
            await Execute(
                connection,
                """
                UPDATE workflow_state
                SET phase = 'started', decisions = '[]', event_count = 1, last_event_block = $1,
                    last_event_transaction_index = 0, last_event_log_index = 0
                WHERE workflow_id = $2
                """,
                ancestor,
                Seed.Running);
            await CheckpointStore.RewindAsync(connection, Seed.LastBlock, ancestor, Seed.BlockHashOf(ancestor), orphanedEvents: 1);
            await transaction.CommitAsync();
        }

        var after = await fixture.AnswersAsync();
        Assert.Multiple(() =>
        {
            Assert.That(after.RunningEvents, Is.EqualTo(1));
            Assert.That(after.RunningPhase, Is.EqualTo("started"));
            Assert.That(after.EventCount, Is.EqualTo(Seed.EventCount - 1));
            Assert.That(after.LastIndexedBlock, Is.EqualTo(ancestor));
        });
    }

    private static async Task Execute(NpgsqlConnection connection, string sql, params object[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        await command.ExecuteNonQueryAsync();
    }

    /// <summary>What the tests compare: one reading of /stats, the first page, one workflow and /status.</summary>
    private sealed record Answers(
        string Stats, IReadOnlyList<string> FirstPageIds, string RunningStatus, string RunningPhase, int RunningEvents, long EventCount, long LastIndexedBlock)
    {
        public bool Equals(Answers? other) =>
            other is not null && Stats == other.Stats && FirstPageIds.SequenceEqual(other.FirstPageIds) && RunningStatus == other.RunningStatus
            && RunningPhase == other.RunningPhase && RunningEvents == other.RunningEvents && EventCount == other.EventCount
            && LastIndexedBlock == other.LastIndexedBlock;

        public override int GetHashCode() => Stats.GetHashCode(StringComparison.Ordinal);
    }

    private sealed class Fixture : IAsyncDisposable
    {
        private Fixture(ApiProcess api, NpgsqlDataSource database)
        {
            Api = api;
            Database = database;
        }

        public ApiProcess Api { get; }

        /// <summary>The seeded database with the admin's rights, for writing as the worker (or behind its back).</summary>
        public NpgsqlDataSource Database { get; }

        public static async Task<Fixture> StartAsync()
        {
            var (adminUrl, apiRoleUrl) = await SeededApi.CreateSeededDatabaseAsync(await SharedPostgres.GetAsync());
            var database = NpgsqlDataSource.Create(DatabaseUrl.Parse(adminUrl));
            try
            {
                return new Fixture(await ApiProcess.StartAsync(apiRoleUrl, NoStaleness), database);
            }
            catch
            {
                await database.DisposeAsync();
                throw;
            }
        }

        /// <summary>Completes the running workflow in workflow_state only: no event, no checkpoint move, no swap.</summary>
        public async Task ChangeBehindTheWorkersBackAsync()
        {
            await using var connection = await Database.OpenConnectionAsync();
            await Execute(connection, "UPDATE workflow_state SET status = 'completed', phase = 'completed' WHERE workflow_id = $1", Seed.Running);
        }

        public async Task<Answers> AnswersAsync()
        {
            var stats = await GetOkAsync("/stats");
            var page = (await GetOkAsync("/workflows")).Json.AsArray();
            // Asked twice: a workflow's answer is kept from the second read of its request on (Admission.SecondRead).
            await GetOkAsync($"/workflows/{Seed.Running}");
            var running = (await GetOkAsync($"/workflows/{Seed.Running}")).Json;
            var status = (await GetOkAsync("/status")).Json;
            return new Answers(
                stats.Body,
                page.Select(item => (string)item!["workflowId"]!).ToList(),
                (string)running["workflow"]!["status"]!,
                (string)running["workflow"]!["phase"]!,
                running["events"]!.AsArray().Count,
                (long)status["eventCount"]!,
                (long)status["lastIndexedBlock"]!);
        }

        public async ValueTask DisposeAsync()
        {
            await Api.DisposeAsync();
            await Database.DisposeAsync();
        }

        private async Task<ApiResponse> GetOkAsync(string path)
        {
            var response = await Api.GetAsync(path);
            Assert.That(response.Status, Is.EqualTo(HttpStatusCode.OK), $"{path}: {response}");
            return response;
        }
    }
}
