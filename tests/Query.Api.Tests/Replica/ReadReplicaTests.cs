using System.Net;
using System.Text.Json.Nodes;
using Core.Domain.Events;
using Indexer.Worker.Ingestion;
using ServiceDefaults.Configuration;
using Npgsql;
using NUnit.Framework;
using Query.Api.Tests.Support;
using TestSupport;

namespace Query.Api.Tests.Replica;

/// <summary>
/// Query.Api unchanged on a real streaming replica (pg_basebackup -R of a private cluster, hot standby):
/// the same answers as on the primary, replication lag in /status, and commits arriving through replay.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class ReadReplicaTests
{
    private static readonly TimeSpan ReplayTimeout = TimeSpan.FromSeconds(30);

    private PostgresServer primary = null!;
    private PostgresServer replica = null!;
    private string primaryAdminUrl = null!;
    private ApiProcess onPrimary = null!;
    private ApiProcess onReplica = null!;

    [OneTimeSetUp]
    public async Task StartAPrimaryAReplicaAndAnApiOnEach()
    {
        primary = await PostgresServer.StartLocalAsync();
        (primaryAdminUrl, var apiRoleUrl) = await SeededApi.CreateSeededDatabaseAsync(primary);
        replica = await primary.StartStreamingReplicaAsync();
        await WaitUntilReplayedAsync();

        onPrimary = await ApiProcess.StartAsync(apiRoleUrl);
        onReplica = await ApiProcess.StartAsync(OnReplica(apiRoleUrl));
    }

    [OneTimeTearDown]
    public async Task StopEverything()
    {
        await onReplica.DisposeAsync();
        await onPrimary.DisposeAsync();
        await replica.DisposeAsync();
        await primary.DisposeAsync();
    }

    [TestCase("/health")]
    [TestCase("/health/db")]
    [TestCase("/workflows")]
    [TestCase("/workflows?limit=2&offset=1")]
    [TestCase("/workflows?limit=0")]
    [TestCase("/stats")]
    [TestCase("/workflows/0x00")]
    public async Task EveryEndpoint_AnswersOnTheReplicaAsOnThePrimary(string pathAndQuery)
    {
        var expected = await onPrimary.GetAsync(pathAndQuery);
        var actual = await onReplica.GetAsync(pathAndQuery);

        Assert.That(Comparable(actual), Is.EqualTo(Comparable(expected)));
    }

    [Test]
    public async Task EveryWorkflow_IsTheSameOnTheReplica()
    {
        foreach (var id in Seed.NewestFirst.Append(Seed.WorkflowId("never-observed")))
        {
            var expected = await onPrimary.GetAsync($"/workflows/{id}");
            var actual = await onReplica.GetAsync($"/workflows/{id}");
            Assert.That(Comparable(actual), Is.EqualTo(Comparable(expected)), id);
        }
    }

    [Test]
    public async Task Status_OnTheReplica_ShowsReplicationLag_AndOtherwiseThePrimarysStatus()
    {
        var expected = (await onPrimary.GetAsync("/status")).Json.AsObject();
        var actual = (await onReplica.GetAsync("/status")).Json.AsObject();

        var replication = actual["replication"]!;
        Assert.Multiple(() =>
        {
            Assert.That(expected["replication"], Is.Null, "null on the primary");
            Assert.That(replication["replayLagBytes"]!.GetValue<long>(), Is.GreaterThanOrEqualTo(0));
            // Null until the standby has replayed a transaction since it started.
            Assert.That(replication["replayLagSeconds"]?.GetValue<double>() ?? 0, Is.GreaterThanOrEqualTo(0));
            Assert.That(replication.AsObject().Select(property => property.Key), Is.EqualTo(new[] { "replayLagSeconds", "replayLagBytes" }));
            Assert.That(WithoutMovingParts(actual), Is.EqualTo(WithoutMovingParts(expected)));
        });
    }

    [Test]
    public async Task ACommitOnThePrimary_IsServedByTheReplicaOnceReplayed()
    {
        var started = Seed.WorkflowId("replicated");
        var block = Seed.LastBlock + 1;
        await using (var database = NpgsqlDataSource.Create(DatabaseUrl.Parse(primaryAdminUrl)))
        await using (var connection = await database.OpenConnectionAsync())
        {
            await RangeCommitter.CommitAsync(
                connection,
                Seed.Range(block, block, Seed.Log(block, 0, 0, Seed.Alice, (at, ts) => new WorkflowStarted(started, at, ts, Seed.Alice))),
                Seed.ChainId,
                Seed.Contract,
                CancellationToken.None);
        }

        await WaitUntilReplayedAsync();

        await Eventually.TrueAsync(
            async () => (await onReplica.GetAsync($"/workflows/{started}")).Status == HttpStatusCode.OK,
            ReplayTimeout,
            "the replica's API serves the workflow committed on the primary");
        Assert.That((await onReplica.GetAsync("/stats")).Json["total"]!.GetValue<long>(), Is.EqualTo(Seed.NewestFirst.Length + 1));
    }

    // A problem's traceId is per request.
    private static string Comparable(ApiResponse response)
    {
        if (response.MediaType != "application/problem+json")
        {
            return response.ToString();
        }

        var problem = response.Json.AsObject();
        problem.Remove("traceId");
        return $"{(int)response.Status} {response.MediaType}: {problem.ToJsonString()}";
    }

    // Heartbeat age and the replication block differ by nature; everything else is the primary's data.
    private static string WithoutMovingParts(JsonObject status)
    {
        var copy = status.DeepClone().AsObject();
        copy.Remove("replication");
        copy["worker"]!.AsObject().Remove("heartbeatAgeSeconds");
        return copy.ToJsonString();
    }

    private string OnReplica(string url) => new UriBuilder(url) { Port = new Uri(replica.AdminUrl).Port }.Uri.ToString();

    private async Task WaitUntilReplayedAsync()
    {
        var target = await ScalarAsync<string>(primary.AdminUrl, "SELECT pg_current_wal_lsn()::text");
        await Eventually.TrueAsync(
            async () => await ScalarAsync<bool>(replica.AdminUrl, "SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn", target),
            ReplayTimeout,
            $"the replica replays the primary's WAL up to {target}");
    }

    private static async Task<T> ScalarAsync<T>(string url, string sql, params string[] parameters)
    {
        await using var connection = new NpgsqlConnection(DatabaseUrl.Parse(url).ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        return (T)(await command.ExecuteScalarAsync())!;
    }
}
