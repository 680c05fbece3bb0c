using System.Net;
using System.Text;
using System.Text.Json;
using NUnit.Framework;
using Query.Api.Tests.Support;
using ServiceDefaults.Configuration;
using TestSupport;

namespace Query.Api.Tests.Operations;

/// <summary>The API's request spans with their SQL reach a real OTLP receiver; its JSON log parses line by line; no secret anywhere.</summary>
public sealed class TelemetryTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Test]
    public async Task Api_ExportsASpanPerRequestWithItsSqlAsChildren_LogsJson_AndNeverThePassword()
    {
        await using var receiver = new OtlpReceiver();
        var (_, apiRoleUrl) = await SeededApi.CreateSeededDatabaseAsync(await SharedPostgres.GetAsync());
        var password = DatabaseUrl.Parse(apiRoleUrl).Password!;
        await using var api = await ApiProcess.StartAsync(apiRoleUrl, new Dictionary<string, string>(receiver.Settings)
        {
            ["LOG_FORMAT"] = "json",
            // ASP.NET Core's own line per request, as an operator turns it on.
            ["Logging__LogLevel__Microsoft.AspNetCore.Hosting.Diagnostics"] = "Information",
        });

        var detail = await api.GetAsync($"/workflows/{Seed.Completed}");
        await api.GetAsync("/health/ready");
        await Eventually.TrueAsync(
            () => Task.FromResult(receiver.Spans.Any(span => span.Attributes.GetValueOrDefault("http.route") == "/workflows/{id}")),
            Timeout,
            () => $"the request's span should arrive; got {string.Join(", ", receiver.Spans.Select(span => span.Name))}");
        var request = receiver.Spans.Single(span => span.Attributes.GetValueOrDefault("http.route") == "/workflows/{id}");
        await Eventually.TrueAsync(
            () => Task.FromResult(receiver.Spans.Any(span => span.ParentSpanId == request.SpanId && span.Scope == "Npgsql")),
            Timeout,
            "the request's SQL spans should arrive");
        var sql = receiver.Spans.Where(span => span.ParentSpanId == request.SpanId && span.Scope == "Npgsql").ToList();
        var metrics = await api.GetAsync("/metrics");

        Assert.Multiple(() =>
        {
            Assert.That(detail.Status, Is.EqualTo(HttpStatusCode.OK), detail.ToString());
            Assert.That(request.Resource["service.name"], Is.EqualTo("x402-query-api"));
            Assert.That(request.Attributes["http.response.status_code"], Is.EqualTo("200"));
            Assert.That(
                sql.Select(span => span.Attributes.GetValueOrDefault("db.query.text") ?? span.Attributes.GetValueOrDefault("db.statement")),
                Has.Some.Contain("workflow_state"), "the SQL of the request");
            Assert.That(sql.Select(span => span.TraceId), Is.All.EqualTo(request.TraceId));
            Assert.That(metrics.Body, Does.Contain("\nx402_api_streams_open{").And.Contain("\nhttp_server_request_duration_seconds_bucket{")
                .And.Contain("\ndb_client_operation_duration_seconds_bucket{"), "streams, requests and SQL on /metrics");
            Assert.That(receiver.Spans.Where(span => span.Attributes.GetValueOrDefault("url.path", "").StartsWith("/health", StringComparison.Ordinal)), Is.Empty,
                "probes make no spans");
        });

        var lines = api.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var requestLines = lines.Select(line => JsonDocument.Parse(line).RootElement)
            .Where(entry => entry.GetProperty("Category").GetString() == "Microsoft.AspNetCore.Hosting.Diagnostics"
                && entry.GetProperty("Message").GetString()!.Contains($"/workflows/{Seed.Completed}", StringComparison.Ordinal))
            .ToList();
        Assert.That(requestLines, Is.Not.Empty, api.Output);
        Assert.That(
            requestLines.SelectMany(entry => entry.GetProperty("Scopes").EnumerateArray())
                .Select(scope => scope.TryGetProperty("TraceId", out var id) ? id.GetString() : null),
            Does.Contain(request.TraceId),
            "a line written inside the request carries the request span's trace id");
        foreach (var line in lines)
        {
            var entry = JsonDocument.Parse(line).RootElement;
            Assert.That(
                entry.TryGetProperty("Timestamp", out _) && entry.TryGetProperty("LogLevel", out _) && entry.TryGetProperty("Category", out _)
                && entry.TryGetProperty("Message", out _),
                Is.True,
                line);
        }

        var everything = new[] { api.Output, metrics.Body }.Concat(receiver.Payloads.Select(payload => Encoding.UTF8.GetString(payload)));
        Assert.That(everything, Has.None.Contain(password), "the database password");
    }
}
