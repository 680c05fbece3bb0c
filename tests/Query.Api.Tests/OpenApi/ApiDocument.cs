using System.Net;
using System.Text.Json.Nodes;
using NUnit.Framework;
using Query.Api.Tests.Support;

namespace Query.Api.Tests.OpenApi;

/// <summary>The OpenAPI document as the running API serves it, and what the tests look up in it.</summary>
internal sealed class ApiDocument
{
    public const string Route = "/openapi/v1.json";

    private static readonly string[] Methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

    private ApiDocument(JsonObject root, string text)
    {
        Root = root;
        Text = text;
        Validator = new OpenApiSchemaValidator(root);
    }

    public JsonObject Root { get; }

    /// <summary>The document exactly as served.</summary>
    public string Text { get; }

    public OpenApiSchemaValidator Validator { get; }

    /// <summary>Every operation, as "GET /workflows/{id}" (the method upper case, the path as the document writes it).</summary>
    public IEnumerable<string> Operations =>
        from path in Paths
        from method in Methods
        where path.Value?[method] is JsonObject
        select OperationKey(method, path.Key);

    private JsonObject Paths => Root["paths"]?.AsObject() ?? throw new InvalidOperationException("The document has no paths.");

    public static async Task<ApiDocument> FetchAsync(ApiProcess api)
    {
        var response = await api.GetAsync(Route);
        Assert.That(response.Status, Is.EqualTo(HttpStatusCode.OK), response.ToString());
        Assert.That(response.MediaType, Is.EqualTo("application/json"), response.ToString());
        return new ApiDocument(response.Json.AsObject(), response.Body);
    }

    public static string OperationKey(string method, string path) => $"{method.ToUpperInvariant()} {path}";

    public JsonObject Operation(string key)
    {
        var (method, path) = Split(key);
        return Paths[path]?[method] as JsonObject ?? throw new ArgumentException($"The document has no operation {key}.", nameof(key));
    }

    /// <summary>The documented response of the operation for a status code (or its "default"), null when there is none.</summary>
    public JsonObject? Response(string operation, int status) =>
        Operation(operation)["responses"]?[status.ToString(System.Globalization.CultureInfo.InvariantCulture)] as JsonObject
        ?? Operation(operation)["responses"]?["default"] as JsonObject;

    public IEnumerable<int> DocumentedStatuses(string operation) =>
        (Operation(operation)["responses"]?.AsObject() ?? []).Select(response => response.Key).Where(code => code != "default").Select(int.Parse);

    private static (string Method, string Path) Split(string key)
    {
        var space = key.IndexOf(' ', StringComparison.Ordinal);
        return (key[..space].ToLowerInvariant(), key[(space + 1)..]);
    }
}
