namespace Query.Api.Workflows;

// The seed's JSON shapes (camelCase on the wire). GET /workflows/{id} is written by WorkflowDetailJson.

public sealed record WorkflowSummary(string WorkflowId, string Status, string? Initiator, long? StartedAt, long? CompletedAt);
