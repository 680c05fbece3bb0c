using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using TestSupport;

namespace Query.Api.Tests.Support;

/// <summary>The built Query.Api running as a real child process on a free port, and an HttpClient for it.</summary>
internal sealed class ApiProcess : IAsyncDisposable
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly ChildProcess _process;

    private ApiProcess(ChildProcess process, int port)
    {
        _process = process;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public HttpClient Http { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Everything the process printed so far, for assertion messages.</summary>
    public string Output => _process.Output;

    /// <summary>Starts the API the way it is deployed (HOST, PORT, DATABASE_URL, and any <paramref name="settings"/>) and waits until GET /health answers.</summary>
    /// <param name="unset">Variables of <see cref="Environment"/> to leave out, so that the API's default applies.</param>
    public static async Task<ApiProcess> StartAsync(
        string databaseUrl, IReadOnlyDictionary<string, string>? settings = null, IEnumerable<string>? unset = null)
    {
        var port = FreePort.Next();
        var environment = Environment(databaseUrl, port);
        foreach (var (name, value) in settings ?? new Dictionary<string, string>())
        {
            environment[name] = value;
        }

        foreach (var name in unset ?? [])
        {
            environment.Remove(name);
        }

        var process = ChildProcess.StartDotnet(RepoLayout.BuiltDll("Query.Api"), [], environment);
        var api = new ApiProcess(process, port);
        try
        {
            await Eventually.TrueAsync(
                async () => process.HasExited || (await api.GetAsync("/health")).Status == HttpStatusCode.OK,
                StartTimeout,
                "the API answers GET /health");
            if (process.HasExited)
            {
                throw new InvalidOperationException($"Query.Api exited during start. Output:\n{process.Output}");
            }

            return api;
        }
        catch
        {
            await api.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// The deployed settings, and no rate limit: tests send thousands of requests from 127.0.0.1, and only
    /// the rate limit's own tests (which set RATE_LIMIT_PER_MINUTE) are about it.
    /// </summary>
    public static Dictionary<string, string> Environment(string databaseUrl, int port) => new()
    {
        ["DATABASE_URL"] = databaseUrl,
        ["HOST"] = "127.0.0.1",
        ["PORT"] = port.ToString(CultureInfo.InvariantCulture),
        ["RATE_LIMIT_PER_MINUTE"] = "0",
    };

    public int Port => Http.BaseAddress!.Port;

    /// <summary>Waits for a line of the API's output (lines already printed count).</summary>
    public Task<string> WaitForLineAsync(Func<string, bool> predicate, TimeSpan timeout) => _process.WaitForLineAsync(predicate, timeout);

    public async Task<ApiResponse> GetAsync(string pathAndQuery)
    {
        using var response = await Http.GetAsync(pathAndQuery.TrimStart('/'));
        var body = await response.Content.ReadAsStringAsync();
        var headers = response.Headers.Concat(response.Content.Headers)
            .ToDictionary(header => header.Key, header => string.Join(", ", header.Value), StringComparer.OrdinalIgnoreCase);
        return new ApiResponse(response.StatusCode, response.Content.Headers.ContentType, body, headers);
    }

    /// <summary>SIGKILL: the instance dies with whatever it had in flight.</summary>
    public void Kill() => _process.Kill();

    /// <summary>SIGTERM, as an orchestrator stops it.</summary>
    public void Terminate() => _process.Terminate();

    public Task<int> WaitForExitAsync(TimeSpan timeout) => _process.WaitForExitAsync(timeout);

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _process.DisposeAsync();
    }
}

/// <param name="Headers">Every response and content header, by name in any case; repeated values joined by ", ".</param>
internal sealed record ApiResponse(HttpStatusCode Status, MediaTypeHeaderValue? ContentType, string Body, IReadOnlyDictionary<string, string> Headers)
{
    public string? Header(string name) => Headers.GetValueOrDefault(name);

    public string? MediaType => ContentType?.MediaType;

    public JsonNode Json => JsonNode.Parse(Body) ?? throw new InvalidOperationException("The body is JSON null.");

    public override string ToString() => $"{(int)Status} {MediaType}: {Body}";
}
