using Query.Api.Tests.Support;

namespace Query.Api.Tests.OpenApi;

/// <summary>
/// The requests the OpenAPI conformance tests send to the seeded API (<see cref="Seed"/>), one line each:
/// the operation as the document names it, the URL, and the status the request must get. Every operation
/// of the document needs at least one, and every status it documents (but <see cref="NotSampledHere"/>)
/// one that gets it: a new endpoint, parameter check or error answer is covered by adding its line here.
/// </summary>
internal static class SampleRequests
{
    private static readonly string UnknownWorkflow = "0x" + new string('0', 64);

    public static readonly IReadOnlyList<SampleRequest> All =
    [
        new("GET /health", "/health", 200),
        new("GET /health/db", "/health/db", 200),
        new("GET /health/live", "/health/live", 200),
        new("GET /health/ready", "/health/ready", 200),
        new("GET /workflows", "/workflows", 200),
        new("GET /workflows", "/workflows?limit=2&offset=1", 200),
        new("GET /workflows", "/workflows?offset=99", 200),
        new("GET /workflows", "/workflows?limit=0", 400),
        new("GET /workflows", "/workflows?offset=abc", 400),
        new("GET /workflows", "/workflows?limit=1&status=completed&status=failed", 200),
        new("GET /workflows", "/workflows?cursor=not-a-cursor", 400),
        new("GET /workflows/{id}", $"/workflows/{Seed.Completed}", 200),
        new("GET /workflows/{id}", $"/workflows/{Seed.Rejected.ToUpperInvariant().Replace("0X", "0x", StringComparison.Ordinal)}", 200),
        new("GET /workflows/{id}", $"/workflows/{Seed.Failed}", 200),
        new("GET /workflows/{id}", $"/workflows/{Seed.Running}", 200),
        new("GET /workflows/{id}", "/workflows/0x1234", 400),
        new("GET /workflows/{id}", $"/workflows/{UnknownWorkflow}", 404),
        new("GET /stats", "/stats", 200),
        new("GET /stats", "/stats?status=completed&initiator=" + Seed.Alice, 200),
        new("GET /stats", "/stats?status=bogus", 400),
        new("GET /stats/timeline", "/stats/timeline", 200),
        new("GET /stats/timeline", "/stats/timeline?bucket=day", 200),
        new("GET /stats/timeline", "/stats/timeline?bucket=week", 400),
        new("GET /status", "/status", 200),
        new("GET /dashboard/settings", "/dashboard/settings", 200),
        new("GET /stream", "/stream", 200),
        new("GET /stream", $"/stream?workflowId={Seed.Completed}", 200),
        new("GET /stream", "/stream?workflowId=0x12", 400),
    ];

    /// <summary>Statuses a request to the shared seeded API cannot get; other tests send those.</summary>
    public static readonly IReadOnlyDictionary<int, string> NotSampledHere = new Dictionary<int, string>
    {
        [304] = "needs the ETag of an earlier answer",
        [429] = "needs a client over its rate limit",
        [503] = "needs the database down: OutageConformanceTests",
    };
}

/// <param name="Operation">As <see cref="ApiDocument.Operations"/> names it, e.g. "GET /workflows/{id}".</param>
/// <param name="Url">Path and query sent.</param>
/// <param name="Status">The status the request must get.</param>
/// <param name="Headers">Request headers, if any.</param>
internal sealed record SampleRequest(string Operation, string Url, int Status, IReadOnlyDictionary<string, string>? Headers = null)
{
    public override string ToString() => $"{Operation} as {Url} → {Status}";
}
