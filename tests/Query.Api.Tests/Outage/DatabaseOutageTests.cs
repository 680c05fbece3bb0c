using System.Net;
using NUnit.Framework;
using Query.Api.Tests.Support;
using TestSupport;

namespace Query.Api.Tests.Outage;

/// <summary>A server of its own (stopping the shared one would break every other test) and an API process of its own.</summary>
public sealed class DatabaseOutageTests
{
    private static readonly TimeSpan RecoveryTimeout = TimeSpan.FromSeconds(30);

    [Test]
    public async Task DatabaseStopped_ReadsAnswer503AndTheSameProcessRecoversOnceItIsBack()
    {
        await using var server = await PostgresServer.StartAsync();
        if (!server.CanStopAndStartAgain)
        {
            Assert.Ignore("The server of TEST_DATABASE_URL cannot be stopped by tests.");
        }

        var (_, apiRoleUrl) = await SeededApi.CreateSeededDatabaseAsync(server);
        await using var api = await ApiProcess.StartAsync(apiRoleUrl);
        var before = await api.GetAsync("/workflows");
        Assert.That(before.Status, Is.EqualTo(HttpStatusCode.OK), before.ToString());

        await server.StopAsync();

        var healthDb = await api.GetAsync("/health/db");
        var stats = await api.GetAsync("/stats");
        var list = await api.GetAsync("/workflows");
        var detail = await api.GetAsync($"/workflows/{Seed.Completed}");
        var status = await api.GetAsync("/status");
        var health = await api.GetAsync("/health");
        var live = await api.GetAsync("/health/live");
        var ready = await api.GetAsync("/health/ready");
        Assert.Multiple(() =>
        {
            Assert.That(healthDb.Status, Is.EqualTo(HttpStatusCode.ServiceUnavailable), healthDb.ToString());
            Assert.That(healthDb.MediaType, Is.EqualTo("application/json"));
            Assert.That(healthDb.Body, Is.EqualTo("""{"status":"error","db":"disconnected"}"""));
            AssertUnavailableProblem(stats);
            AssertUnavailableProblem(list);
            AssertUnavailableProblem(detail);
            AssertUnavailableProblem(status);
            Assert.That(health.Status, Is.EqualTo(HttpStatusCode.OK), "liveness does not depend on the database");
            Assert.That(live.Status, Is.EqualTo(HttpStatusCode.OK), "nor does the liveness probe");
            Assert.That(ready.Status, Is.EqualTo(HttpStatusCode.ServiceUnavailable), ready.ToString());
            Assert.That((string?)ready.Json["checks"]?["database"]?["status"], Is.EqualTo("unhealthy"), ready.ToString());
            Assert.That(api.HasExited, Is.False, api.Output);
        });

        await server.StartAgainAsync();

        await Eventually.TrueAsync(
            async () => (await api.GetAsync("/health/db")).Status == HttpStatusCode.OK,
            RecoveryTimeout,
            "GET /health/db answers 200 again once PostgreSQL is back");
        await Eventually.TrueAsync(
            async () => (await api.GetAsync("/health/ready")).Status == HttpStatusCode.OK,
            RecoveryTimeout,
            "GET /health/ready answers 200 again");
        await Eventually.TrueAsync(
            async () => (await api.GetAsync("/stats")).Status == HttpStatusCode.OK,
            RecoveryTimeout,
            "GET /stats answers 200 again");
        await Eventually.TrueAsync(
            async () => (await api.GetAsync("/workflows")).Status == HttpStatusCode.OK,
            RecoveryTimeout,
            "GET /workflows answers 200 again");
        var after = await api.GetAsync("/workflows");
        Assert.Multiple(async () =>
        {
            Assert.That(api.HasExited, Is.False, "the same process recovered, no restart");
            Assert.That(after.Body, Is.EqualTo(before.Body), "the same data once back");
            Assert.That((await api.GetAsync("/health/db")).Body, Is.EqualTo("""{"status":"ok","db":"connected"}"""));
            Assert.That((await api.GetAsync("/stats")).Body, Is.EqualTo("""{"total":4,"running":1,"completed":1,"failed":1,"rejected":1}"""));
        });
    }

    private static void AssertUnavailableProblem(ApiResponse response)
    {
        Assert.That(response.Status, Is.EqualTo(HttpStatusCode.ServiceUnavailable), response.ToString());
        Assert.That(response.MediaType, Is.EqualTo("application/problem+json"), response.ToString());
        Assert.That((int?)response.Json["status"], Is.EqualTo(503), response.ToString());
        Assert.That((string?)response.Json["title"], Is.EqualTo("Database unavailable"), response.ToString());
    }
}
