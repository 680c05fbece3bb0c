using System.Net;
using System.Net.Http.Headers;

namespace Query.Api.Tests.Support;

/// <summary>One request with chosen headers and the whole answer: status, every header (content ones too) and the body's bytes as sent.</summary>
internal sealed record HttpExchange(HttpStatusCode Status, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public static async Task<HttpExchange> SendAsync(
        HttpClient http, HttpMethod method, string pathAndQuery, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(method, pathAndQuery.TrimStart('/'));
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await http.SendAsync(request);
        var all = response.Headers.Concat(response.Content.Headers)
            .ToDictionary(header => header.Key, header => string.Join(", ", header.Value), StringComparer.OrdinalIgnoreCase);
        return new HttpExchange(response.StatusCode, all, await response.Content.ReadAsByteArrayAsync());
    }

    public static Task<HttpExchange> GetAsync(HttpClient http, string pathAndQuery, params (string Name, string Value)[] headers) =>
        SendAsync(http, HttpMethod.Get, pathAndQuery, headers);

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    /// <summary>The comma-separated values of a header, trimmed; empty when it is absent.</summary>
    public IReadOnlyList<string> Values(string name) =>
        Header(name)?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) ?? [];

    public string Text => System.Text.Encoding.UTF8.GetString(Body);

    public override string ToString() =>
        $"{(int)Status} {string.Join("; ", Headers.Select(header => $"{header.Key}: {header.Value}"))}\n{(Body.Length > 2000 ? Text[..2000] : Text)}";
}
