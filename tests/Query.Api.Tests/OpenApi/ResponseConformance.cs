using System.Text.Json;
using System.Text.Json.Nodes;
using Query.Api.Tests.Support;

namespace Query.Api.Tests.OpenApi;

/// <summary>Sends a sample request and compares the answer with what the document says of it.</summary>
internal static class ResponseConformance
{
    /// <param name="expectStatus">Whether the answer must have the sample's status (false: any documented one).</param>
    /// <returns>Every way the answer departs from the document; empty when it conforms.</returns>
    public static async Task<IReadOnlyList<string>> CheckAsync(ApiProcess api, ApiDocument document, SampleRequest sample, bool expectStatus = true)
    {
        using var request = new HttpRequestMessage(HttpMethod.Parse(sample.Operation.Split(' ')[0]), sample.Url.TrimStart('/'));
        foreach (var (name, value) in sample.Headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        // Headers first: an event stream's body never ends, so it is not read.
        using var response = await api.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var status = (int)response.StatusCode;
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        var body = mediaType == "text/event-stream" ? "" : await response.Content.ReadAsStringAsync();
        var problems = new List<string>();
        void Problem(string text) => problems.Add($"{sample}: {text}");

        if (expectStatus && status != sample.Status)
        {
            Problem($"answered {status} {mediaType}: {Truncate(body)}");
            return problems;
        }

        var documented = document.Response(sample.Operation, status);
        if (documented is null)
        {
            Problem($"answered {status}, which the document does not list for {sample.Operation}: {Truncate(body)}");
            return problems;
        }

        var content = documented["content"]?.AsObject();
        if (content is null || content.Count == 0)
        {
            if (body.Length > 0)
            {
                Problem($"the document says {status} has no body, but it has one ({mediaType}): {Truncate(body)}");
            }

            return problems;
        }

        if (mediaType is null || content[mediaType] is not JsonObject media)
        {
            Problem($"answered {status} as {mediaType ?? "no content type"}; the document lists {string.Join(", ", content.Select(entry => entry.Key))}");
            return problems;
        }

        if (IsJson(mediaType))
        {
            if (media["schema"] is not { } schema)
            {
                Problem($"the document has no schema for {status} {mediaType}");
                return problems;
            }

            using var json = JsonDocument.Parse(body);
            problems.AddRange(document.Validator.Validate(schema, json.RootElement).Select(error => $"{sample}: {status} {mediaType} does not match the document: {error}"));
        }

        return problems;
    }

    public static bool IsJson(string mediaType) => mediaType == "application/json" || mediaType.EndsWith("+json", StringComparison.Ordinal);

    private static string Truncate(string body) => body.Length <= 400 ? body : body[..400] + "…";
}
