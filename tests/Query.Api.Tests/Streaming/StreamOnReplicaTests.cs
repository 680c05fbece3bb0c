using Core.Domain.Events;
using ServiceDefaults.Configuration;
using Npgsql;
using NUnit.Framework;
using Query.Api.Tests.Support;
using TestSupport;

namespace Query.Api.Tests.Streaming;

/// <summary>
/// An API reading a streaming replica: PostgreSQL refuses LISTEN during recovery (and the worker's NOTIFY
/// reaches only sessions on the primary), so the API follows the replica's checkpoint by polling instead.
/// </summary>
public sealed class StreamOnReplicaTests
{
    [Test]
    public async Task ApiOnAReplica_PollsTheCheckpoint_AndStreamsWhatThePrimaryCommits()
    {
        await using var server = await PostgresServer.StartLocalAsync();
        var (adminUrl, apiRoleUrl) = await SeededApi.CreateSeededDatabaseAsync(server);
        await using var standby = await server.StartStreamingReplicaAsync();
        var onStandby = new UriBuilder(apiRoleUrl) { Port = new Uri(standby.AdminUrl).Port }.Uri.ToString();
        await using var api = await ApiProcess.StartAsync(onStandby, new Dictionary<string, string> { ["STREAM_POLL_INTERVAL_MS"] = "200" });
        await api.WaitForLineAsync(line => line.Contains("read replica", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        await using var stream = await EventStream.OpenAsync(api.Http.BaseAddress!);
        await stream.TakeUntilAsync(e => e.Is("status"));

        var started = Seed.WorkflowId("started on the primary");
        await using (var primary = new NpgsqlConnection(DatabaseUrl.Parse(adminUrl).ConnectionString))
        {
            await primary.OpenAsync();
            await Indexer.Worker.Ingestion.RangeCommitter.CommitAsync(
                primary,
                Seed.Range(111, 111, Seed.Log(111, 0, 0, Seed.Bob, (at, ts) => new WorkflowStarted(started, at, ts, Seed.Bob))),
                Seed.ChainId,
                Seed.Contract,
                CancellationToken.None);
        }

        var events = await stream.TakeUntilAsync(e => e.Is("status"), TimeSpan.FromSeconds(30));
        Assert.That(events.Where(e => !e.IsKeepAlive).Select(e => (e.Event, e.Id)), Is.EqualTo(new (string?, string?)[]
        {
            ("workflow", SeedIds.Event(111, 0, 0)),
            ("status", SeedIds.EndOf(111)),
        }), EventStream.Describe(events));
    }
}
