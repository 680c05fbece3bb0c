using System.Net;
using System.Text.Json;
using NUnit.Framework;
using TestSupport;

namespace Indexer.Worker.Tests.DatabaseFaults;

/// <summary>What Query.Api must answer while PostgreSQL is down, and that the same process recovers by itself.</summary>
public static class ApiDuringOutage
{
    private static readonly TimeSpan RecoveryTimeout = TimeSpan.FromSeconds(30);

    /// <summary>503 ProblemDetails on data endpoints, 503 "disconnected" on /health/db.</summary>
    public static async Task AssertUnavailableAsync(RunningApi api, string workflowId)
    {
        var healthDb = await GetAsync(api, "/health/db");
        var stats = await GetAsync(api, "/stats");
        var list = await GetAsync(api, "/workflows");
        var detail = await GetAsync(api, $"/workflows/{workflowId}");

        Assert.Multiple(() =>
        {
            Assert.That(healthDb.Status, Is.EqualTo(HttpStatusCode.ServiceUnavailable), healthDb.ToString());
            Assert.That(healthDb.Body, Is.EqualTo("""{"status":"error","db":"disconnected"}"""), healthDb.ToString());
            AssertUnavailableProblem(stats);
            AssertUnavailableProblem(list);
            AssertUnavailableProblem(detail);
            Assert.That(api.Process.HasExited, Is.False, $"the API keeps running\n{api.Process.Output}");
        });
    }

    /// <summary>Waits until the same API process answers 200 again, without a restart.</summary>
    public static async Task WaitUntilRecoveredAsync(RunningApi api)
    {
        foreach (var path in new[] { "/health/db", "/stats", "/workflows" })
        {
            await Eventually.TrueAsync(
                async () => (await GetAsync(api, path)).Status == HttpStatusCode.OK,
                RecoveryTimeout,
                $"GET {path} should answer 200 again once PostgreSQL is back.\n{api.Process.Output}");
        }

        Assert.That(api.Process.HasExited, Is.False, "the same API process recovered");
    }

    private static void AssertUnavailableProblem(Answer answer)
    {
        Assert.That(answer.Status, Is.EqualTo(HttpStatusCode.ServiceUnavailable), answer.ToString());
        Assert.That(answer.MediaType, Is.EqualTo("application/problem+json"), answer.ToString());
        using var problem = JsonDocument.Parse(answer.Body);
        Assert.That(problem.RootElement.GetProperty("status").GetInt32(), Is.EqualTo(503), answer.ToString());
        Assert.That(problem.RootElement.GetProperty("title").GetString(), Is.EqualTo("Database unavailable"), answer.ToString());
    }

    private static async Task<Answer> GetAsync(RunningApi api, string path)
    {
        using var response = await api.Http.GetAsync(path);
        return new Answer(path, response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync());
    }

    private sealed record Answer(string Path, HttpStatusCode Status, string? MediaType, string Body)
    {
        public override string ToString() => $"GET {Path} answered {(int)Status} {MediaType}: {Body}";
    }
}
