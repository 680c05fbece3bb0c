using System.Globalization;
using System.Text.Json.Nodes;
using Core.Domain.Events;
using Query.Api.Health;
using Query.Api.Stats;
using Query.Api.Status;
using Query.Api.Workflows;
using ServiceDefaults.Health;

namespace Query.Api.OpenApi;

/// <summary>
/// One example answer per response type, shown by the reference at /docs and by client generators. The
/// OpenAPI conformance test validates each against its own schema, so they cannot drift from the shapes.
/// </summary>
internal static class ApiExamples
{
    public const string WorkflowId = "0x7f0030e2ae4c1e4ea1fbd1a7de5b1a0c3b0f4b6bd1fd0fd4ccd1e6c3a3e2c57c";
    public const string Initiator = "0x15d34aaf54267db7d7c367839aaf71a00a2c6a65";
    public const string Payee = "0x976ea74026e726554db657fa54763abd0c3a0aa9";
    private const string Amount = "24000000000000000000";
    public const long StartedAt = 1_767_225_600;

    private static readonly Dictionary<Type, Func<JsonNode>> ByType = new()
    {
        [typeof(WorkflowSummary)] = () => new JsonObject
        {
            ["workflowId"] = WorkflowId,
            ["status"] = "completed",
            ["initiator"] = Initiator,
            ["startedAt"] = StartedAt,
            ["completedAt"] = StartedAt + 6,
        },
        [typeof(WorkflowDetail)] = () => new JsonObject
        {
            ["workflow"] = new JsonObject
            {
                ["workflowId"] = WorkflowId,
                ["status"] = "completed",
                ["phase"] = "completed",
                ["initiator"] = Initiator,
                ["startedAt"] = StartedAt,
                ["completedAt"] = StartedAt + 6,
                ["failureReason"] = null,
                ["settledTotal"] = Amount,
            },
            ["decisions"] = new JsonArray(new JsonObject { ["approved"] = true, ["reason"] = "Payment verified", ["timestamp"] = StartedAt + 2 }),
            ["settlements"] = new JsonArray(new JsonObject
            {
                ["from"] = Initiator, ["to"] = Payee, ["amount"] = Amount, ["timestamp"] = StartedAt + 4,
            }),
            ["events"] = new JsonArray(
                Event("WORKFLOW_STARTED", 12, new JsonObject { ["initiator"] = Initiator }),
                Event("DECISION_RECORDED", 13, new JsonObject { ["approved"] = true, ["reason"] = "Payment verified" }),
                Event("PAYMENT_EXECUTED", 14, new JsonObject { ["from"] = Initiator, ["to"] = Payee, ["amount"] = Amount }),
                Event("WORKFLOW_COMPLETED", 15, new JsonObject())),
            ["anomalies"] = new JsonArray(),
        },
        [typeof(WorkflowStats)] = () => new JsonObject { ["total"] = 42, ["running"] = 3, ["completed"] = 30, ["failed"] = 4, ["rejected"] = 5 },
        [typeof(DatabaseHealth)] = () => new JsonObject { ["status"] = "ok", ["db"] = "connected" },
        [typeof(Liveness)] = () => new JsonObject { ["status"] = "ok" },
        [typeof(ProbeReport)] = () => new JsonObject
        {
            ["status"] = "healthy",
            ["checks"] = new JsonObject
            {
                ["database"] = new JsonObject { ["status"] = "healthy", ["description"] = "reachable" },
                ["schema"] = new JsonObject { ["status"] = "healthy", ["description"] = "current, projection present" },
            },
        },
        [typeof(IndexerStatus)] = () => new JsonObject
        {
            ["chainId"] = 338,
            ["contractAddress"] = "0x5fbdb2315678afecb367f032d93f642f64180aa3",
            ["chainHead"] = 1_204,
            ["confirmedHead"] = 1_201,
            ["lastIndexedBlock"] = 1_201,
            ["lagBlocks"] = 0,
            ["eventCount"] = 941,
            ["replay"] = new JsonObject
            {
                ["state"] = "done", ["eventsDone"] = 941, ["eventsTotal"] = 941, ["eventsPerSecond"] = 52_000.0,
                ["startedAt"] = "2026-01-01T00:00:00Z", ["finishedAt"] = "2026-01-01T00:00:01Z",
            },
            ["worker"] = new JsonObject
            {
                ["instanceId"] = "worker-a", ["startedAt"] = "2026-01-01T00:00:00Z", ["heartbeatAt"] = "2026-01-01T01:00:00Z",
                ["heartbeatAgeSeconds"] = 1.2, ["rpcCircuit"] = "closed",
            },
            ["workers"] = new JsonArray(new JsonObject
            {
                ["instanceId"] = "worker-a", ["role"] = "writer", ["startedAt"] = "2026-01-01T00:00:00Z", ["heartbeatAt"] = "2026-01-01T01:00:00Z",
            }),
            ["reorgs"] = new JsonObject { ["count"] = 1, ["deepest"] = 4, ["lastAt"] = "2026-01-01T00:30:00Z" },
            ["proofs"] = new JsonObject
            {
                ["coveredBlock"] = 1_200,
                ["eventCount"] = 941,
                ["eventLogHash"] = "0x69a4c3f0d1e2b3a4958677869aabbccddeeff00112233445566778899aab2583",
                ["workflowCount"] = 300,
                ["projectionHash"] = "0x494c0e1d2c3b4a5968778695a4b3c2d1e0f0e1d2c3b4a59687786950a4b3b6ba",
                ["computedAt"] = "2026-01-01T01:00:00Z",
            },
            ["replication"] = null,
        },
    };

    public static JsonNode? For(Type type) => ByType.TryGetValue(type, out var example) ? example() : null;

    public static JsonNode ValidationProblem() => new JsonObject
    {
        ["type"] = "https://tools.ietf.org/html/rfc9110#section-15.5.1",
        ["title"] = "One or more validation errors occurred.",
        ["status"] = 400,
        ["errors"] = new JsonObject { ["limit"] = new JsonArray("limit must be a whole number from 1 to 1000.") },
        ["traceId"] = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00",
    };

    public static JsonNode NotFoundProblem() => new JsonObject
    {
        ["type"] = "https://tools.ietf.org/html/rfc9110#section-15.5.5",
        ["title"] = "Workflow not found",
        ["status"] = 404,
        ["detail"] = $"No workflow {WorkflowId} has been observed.",
        ["traceId"] = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00",
    };

    /// <summary>An event of the example's transactions, each the first of its block; the payment's sender is known.</summary>
    private static JsonObject Event(string type, long block, JsonObject payload) => new()
    {
        ["eventType"] = type,
        ["blockNumber"] = block,
        ["transactionIndex"] = 0,
        ["logIndex"] = 0,
        ["txHash"] = "0x" + block.ToString("x64", CultureInfo.InvariantCulture),
        ["txSender"] = type == EventTypeNames.PaymentExecuted ? Initiator : null,
        ["blockHash"] = "0x" + (block + 0xb10c).ToString("x64", CultureInfo.InvariantCulture),
        ["blockTimestamp"] = StartedAt + ((block - 12) * 2),
        ["payload"] = payload,
    };
}
