using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using TestSupport;

namespace Indexer.Worker.Tests.Operations;

/// <summary>A worker process started on a METRICS_PORT of its own, and an HTTP client for its operations listener.</summary>
public sealed class WorkerProbe : IAsyncDisposable
{
    private readonly HttpClient _http;

    private WorkerProbe(ChildProcess process, int port)
    {
        Process = process;
        Port = port;
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
    }

    public ChildProcess Process { get; }

    public int Port { get; }

    public static WorkerProbe Start(Dictionary<string, string> environment)
    {
        var port = FreePort.Next();
        environment = new Dictionary<string, string>(environment)
        {
            ["METRICS_PORT"] = port.ToString(CultureInfo.InvariantCulture),
        };
        return new WorkerProbe(Processes.StartWorker(environment), port);
    }

    public async Task<(HttpStatusCode Status, string Body)> GetAsync(string path)
    {
        using var response = await _http.GetAsync(path);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The readiness answer once it is <paramref name="status"/>; its body parsed.</summary>
    public async Task<JsonNode> WaitForReadyAsync(HttpStatusCode status, TimeSpan timeout)
    {
        var last = (Status: (HttpStatusCode)0, Body: string.Empty);
        await Eventually.TrueAsync(
            async () =>
            {
                try
                {
                    last = await GetAsync("/health/ready");
                }
                catch (HttpRequestException)
                {
                    return false;
                }

                return last.Status == status;
            },
            timeout,
            () => $"/health/ready should answer {(int)status}; last {(int)last.Status} {last.Body}\n{Process.Output}");
        return JsonNode.Parse(last.Body)!;
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await Process.DisposeAsync();
    }
}
