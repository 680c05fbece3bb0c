using System.Text.Json;

namespace Query.Api.Workflows;

// The seed's JSON shapes (camelCase on the wire). Amounts are decimal strings: a uint256 fits no JSON number.

public sealed record WorkflowSummary(string WorkflowId, string Status, string? Initiator, long? StartedAt, long? CompletedAt);

public sealed record WorkflowDetail(
    WorkflowView Workflow,
    IReadOnlyList<DecisionView> Decisions,
    IReadOnlyList<SettlementView> Settlements,
    IReadOnlyList<TimelineEvent> Events,
    IReadOnlyList<JsonElement> Anomalies);

public sealed record WorkflowView(
    string WorkflowId,
    string Status,
    string Phase,
    string? Initiator,
    long? StartedAt,
    long? CompletedAt,
    string? FailureReason,
    string SettledTotal);

public sealed record DecisionView(bool Approved, string Reason, long Timestamp);

public sealed record SettlementView(string From, string To, string Amount, long Timestamp);

public sealed record TimelineEvent(
    string EventType,
    long BlockNumber,
    int TransactionIndex,
    int LogIndex,
    string TxHash,
    string? TxSender,
    string BlockHash,
    long BlockTimestamp,
    JsonElement Payload);
