using System.Net;
using Migrations.Schema;
using NUnit.Framework;
using Query.Api.Tests.Support;
using ServiceDefaults.Configuration;
using TestSupport;

namespace Query.Api.Tests.Health;

public sealed class HealthTests
{
    [Test]
    public async Task Health_Always_AnswersStatusOk()
    {
        var api = await SeededApi.GetAsync();

        var response = await api.GetAsync("/health");

        Assert.Multiple(() =>
        {
            Assert.That(response.Status, Is.EqualTo(HttpStatusCode.OK), response.ToString());
            Assert.That(response.MediaType, Is.EqualTo("application/json"));
            Assert.That(response.Body, Is.EqualTo("""{"status":"ok"}"""));
        });
    }

    [Test]
    public async Task HealthDb_DatabaseUp_AnswersConnected()
    {
        var api = await SeededApi.GetAsync();

        var response = await api.GetAsync("/health/db");

        Assert.Multiple(() =>
        {
            Assert.That(response.Status, Is.EqualTo(HttpStatusCode.OK), response.ToString());
            Assert.That(response.MediaType, Is.EqualTo("application/json"));
            Assert.That(response.Body, Is.EqualTo("""{"status":"ok","db":"connected"}"""));
        });
    }

    [Test]
    public async Task UnknownRoute_Answers404NotA500()
    {
        var api = await SeededApi.GetAsync();

        var response = await api.GetAsync("/no/such/route");

        Assert.That(response.Status, Is.EqualTo(HttpStatusCode.NotFound), response.ToString());
    }

    [Test]
    public async Task LiveProbe_AnswersHealthyWithoutChecks()
    {
        var api = await SeededApi.GetAsync();

        var response = await api.GetAsync("/health/live");

        Assert.Multiple(() =>
        {
            Assert.That(response.Status, Is.EqualTo(HttpStatusCode.OK), response.ToString());
            Assert.That(response.Body, Is.EqualTo("""{"status":"healthy","checks":{}}"""));
        });
    }

    [Test]
    public async Task ReadyProbe_MigratedDatabase_AnswersHealthyNamingEachCheck()
    {
        var api = await SeededApi.GetAsync();

        var response = await api.GetAsync("/health/ready");

        Assert.Multiple(() =>
        {
            Assert.That(response.Status, Is.EqualTo(HttpStatusCode.OK), response.ToString());
            Assert.That((string?)response.Json["status"], Is.EqualTo("healthy"));
            Assert.That((string?)response.Json["checks"]?["database"]?["status"], Is.EqualTo("healthy"));
            Assert.That((string?)response.Json["checks"]?["schema"]?["description"], Is.EqualTo("current, projection present"));
        });
    }

    [Test]
    public async Task ReadyProbe_AScriptGoneFromTheJournal_AnswersUnhealthyCountingIt()
    {
        var url = await (await SharedPostgres.GetAsync()).CreateDatabaseAsync();
        new SchemaMigrator(DatabaseUrl.Parse(url)).Apply(TextWriter.Null);
        await using var api = await ApiProcess.StartAsync(url);
        Assert.That((await api.GetAsync("/health/ready")).Status, Is.EqualTo(HttpStatusCode.OK), api.Output);

        await using (var connection = new Npgsql.NpgsqlConnection(DatabaseUrl.Parse(url).ConnectionString))
        {
            await connection.OpenAsync();
            await using var forget = new Npgsql.NpgsqlCommand(
                $"DELETE FROM {SchemaMigrator.JournalTable} WHERE scriptname LIKE '%0009_worker_stopped.sql'", connection);
            Assert.That(await forget.ExecuteNonQueryAsync(), Is.EqualTo(1));
        }

        var response = await api.GetAsync("/health/ready");

        Assert.Multiple(() =>
        {
            Assert.That(response.Status, Is.EqualTo(HttpStatusCode.ServiceUnavailable), response.ToString());
            Assert.That((string?)response.Json["checks"]?["schema"]?["status"], Is.EqualTo("unhealthy"));
            Assert.That((string?)response.Json["checks"]?["schema"]?["description"], Is.EqualTo("1 migration(s) pending"));
        });
    }

    [Test]
    public async Task Probes_AreExemptFromTheRateLimit()
    {
        await using var api = await ApiProcess.StartAsync((await SeededApi.CreateSeededDatabaseAsync(await TestSupport.SharedPostgres.GetAsync())).ApiRoleUrl,
            new Dictionary<string, string> { ["RATE_LIMIT_PER_MINUTE"] = "1" });

        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            answers.Add((await api.GetAsync("/health/live")).Status);
            answers.Add((await api.GetAsync("/health/ready")).Status);
        }

        Assert.That(answers, Is.All.EqualTo(HttpStatusCode.OK));
    }
}
