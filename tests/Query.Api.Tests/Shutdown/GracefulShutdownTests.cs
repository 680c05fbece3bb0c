using System.Net;
using System.Net.Sockets;
using ServiceDefaults.Configuration;
using Npgsql;
using NUnit.Framework;
using Query.Api.Tests.Support;
using TestSupport;

namespace Query.Api.Tests.Shutdown;

/// <summary>SIGTERM to the API: it stops accepting, finishes the requests in flight, and exits 0.</summary>
[TestFixture]
[NonParallelizable]
public sealed class GracefulShutdownTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Test]
    public async Task Sigterm_FinishesTheRequestInFlight_RefusesNewConnections_AndExitsZero()
    {
        var (adminUrl, apiRoleUrl) = await SeededApi.CreateSeededDatabaseAsync(await SharedPostgres.GetAsync());
        await using var api = await ApiProcess.StartAsync(apiRoleUrl, new Dictionary<string, string> { ["DB_COMMAND_TIMEOUT_S"] = "60" });

        // Hold workflow_state so that the first /stats (read from the database, nothing cached yet) waits in flight.
        await using var admin = new NpgsqlConnection(DatabaseUrl.Parse(adminUrl).ConnectionString);
        await admin.OpenAsync();
        await using var transaction = await admin.BeginTransactionAsync();
        await using (var hold = new NpgsqlCommand("LOCK TABLE workflow_state IN ACCESS EXCLUSIVE MODE", admin, transaction))
        {
            await hold.ExecuteNonQueryAsync();
        }

        var inFlight = api.GetAsync("/stats");
        await Eventually.TrueAsync(
            async () => await WaitingQueriesAsync(adminUrl) > 0, Timeout, "the API's /stats query waits for the lock");

        api.Terminate();
        await Eventually.TrueAsync(() => Task.FromResult(!TcpProbe.Accepts(api.Port)), Timeout, "the API stops accepting connections");
        await transaction.CommitAsync();
        var answer = await inFlight;
        var exitCode = await api.WaitForExitAsync(Timeout);

        Assert.Multiple(() =>
        {
            Assert.That(answer.Status, Is.EqualTo(HttpStatusCode.OK), answer.ToString());
            Assert.That(answer.Json["total"]!.GetValue<long>(), Is.EqualTo(Seed.NewestFirst.Length));
            Assert.That(exitCode, Is.Zero, api.Output);
        });
    }

    private static async Task<long> WaitingQueriesAsync(string adminUrl)
    {
        await using var connection = new NpgsqlConnection(DatabaseUrl.Parse(adminUrl).ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
