using System.Net.Http.Json;
using System.Text.Json;

namespace Benchmark.Chain;

/// <summary>Plain JSON-RPC over HttpClient with System.Text.Json: what the sweep ceiling and the live phase send.</summary>
public sealed class JsonRpc(string url, TimeSpan timeout) : IDisposable
{
    private readonly HttpClient http = new() { BaseAddress = new Uri(url), Timeout = timeout };

    /// <summary>Sends one request (or a batch, when <paramref name="body"/> is an array) and returns the parsed answer.</summary>
    public async Task<JsonDocument> SendAsync(object body, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync("", body, cancellationToken);
        response.EnsureSuccessStatusCode();
        var document = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
        if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("error", out var error))
        {
            document.Dispose();
            throw new InvalidOperationException($"JSON-RPC error from {url}: {error.GetRawText()}");
        }

        return document;
    }

    public static object Request(string method, params object[] parameters) => new { jsonrpc = "2.0", id = 1, method, @params = parameters };

    public static string Quantity(long value) => "0x" + value.ToString("x", System.Globalization.CultureInfo.InvariantCulture);

    public void Dispose() => http.Dispose();
}
