using System.Net;
using NUnit.Framework;
using Query.Api.Tests.Support;
using TestSupport;

namespace Query.Api.Tests.OpenApi;

/// <summary>
/// With the database down, every sample request that succeeds on a healthy API gets an answer the document
/// lists (a 503 ProblemDetails, /health/db's own 503 body, or /health's 200). A server of its own: stopping
/// the shared one would break every other test.
/// </summary>
public sealed class OutageConformanceTests
{
    [Test]
    public async Task WithTheDatabaseDownEveryOperationAnswersAsTheDocumentSays()
    {
        await using var server = await PostgresServer.StartAsync();
        if (!server.CanStopAndStartAgain)
        {
            Assert.Ignore("The server of TEST_DATABASE_URL cannot be stopped by tests.");
        }

        var (_, apiRoleUrl) = await SeededApi.CreateSeededDatabaseAsync(server);
        await using var api = await ApiProcess.StartAsync(apiRoleUrl);
        var document = await ApiDocument.FetchAsync(api);
        await server.StopAsync();

        var problems = new List<string>();
        foreach (var sample in SampleRequests.All.Where(sample => sample.Status is >= 200 and < 300))
        {
            problems.AddRange(await ResponseConformance.CheckAsync(api, document, sample, expectStatus: false));
        }

        var list = await api.GetAsync("/workflows");
        Assert.Multiple(() =>
        {
            Assert.That(list.Status, Is.EqualTo(HttpStatusCode.ServiceUnavailable), "the database is really down");
            Assert.That(problems, Is.Empty);
        });
    }
}
