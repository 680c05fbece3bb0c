using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace TestSupport;

/// <summary>
/// Debian's Prometheus (deploy/setup.sh installs it; PROMETHEUS_PATH overrides /usr/bin/prometheus) scraping the given
/// targets every <see cref="ScrapeInterval"/>, with its storage in a temporary folder and its web listener on a free port;
/// queried through its HTTP API.
/// </summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    public static readonly TimeSpan ScrapeInterval = TimeSpan.FromSeconds(1);

    private readonly ChildProcess _process;
    private readonly DirectoryInfo _folder;
    private readonly HttpClient _http;

    private PrometheusServer(ChildProcess process, DirectoryInfo folder, int port)
    {
        _process = process;
        _folder = folder;
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
    }

    public string Output => _process.Output;

    /// <param name="targets">Job name → host:port whose /metrics it scrapes.</param>
    public static async Task<PrometheusServer> StartAsync(IReadOnlyDictionary<string, string> targets)
    {
        var binary = Environment.GetEnvironmentVariable("PROMETHEUS_PATH") is { Length: > 0 } path ? path : "/usr/bin/prometheus";
        if (!File.Exists(binary))
        {
            throw new FileNotFoundException($"{binary} is missing: install Debian's prometheus package (bash deploy/setup.sh).");
        }

        var folder = Directory.CreateTempSubdirectory("x402-prometheus-");
        var interval = $"{ScrapeInterval.TotalSeconds.ToString(CultureInfo.InvariantCulture)}s";
        var jobs = string.Concat(targets.Select(target => $"""
              - job_name: {target.Key}
                static_configs:
                  - targets: ['{target.Value}']

            """));
        var config = Path.Combine(folder.FullName, "prometheus.yml");
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: {interval}
              scrape_timeout: {interval}
            scrape_configs:
            {jobs}
            """);
        var port = FreePort.Next();
        var process = ChildProcess.Start(
            binary,
            [
                $"--config.file={config}",
                $"--storage.tsdb.path={Path.Combine(folder.FullName, "data")}",
                $"--web.listen-address=127.0.0.1:{port}",
            ],
            new Dictionary<string, string>());
        var server = new PrometheusServer(process, folder, port);
        await Eventually.TrueAsync(
            async () =>
            {
                try
                {
                    using var ready = await server._http.GetAsync("/-/ready");
                    return ready.IsSuccessStatusCode;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            },
            TimeSpan.FromSeconds(30),
            () => $"Prometheus should start.\n{process.Output}");
        return server;
    }

    /// <summary>An instant query's samples: each series' labels and value.</summary>
    public async Task<IReadOnlyList<PrometheusSample>> QueryAsync(string query)
    {
        var answer = await _http.GetFromJsonAsync<JsonElement>($"/api/v1/query?query={Uri.EscapeDataString(query)}");
        return answer.GetProperty("data").GetProperty("result").EnumerateArray()
            .Select(series => new PrometheusSample(
                series.GetProperty("metric").EnumerateObject().ToDictionary(label => label.Name, label => label.Value.GetString() ?? string.Empty),
                double.Parse(series.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture)))
            .ToList();
    }

    /// <summary>The single value of <paramref name="query"/>, or null while it has none.</summary>
    public async Task<double?> ValueAsync(string query) => (await QueryAsync(query)) is [var only] ? only.Value : null;

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _process.DisposeAsync();
        _folder.Delete(recursive: true);
    }
}

public sealed record PrometheusSample(IReadOnlyDictionary<string, string> Labels, double Value);
