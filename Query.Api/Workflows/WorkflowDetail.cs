using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Core.Domain.Events;
using Core.Domain.Workflows;
using Query.Api.OpenApi;

namespace Query.Api.Workflows;

// The shape WorkflowDetailJson writes for GET /workflows/{id}, for the OpenAPI document only: the endpoint
// writes bytes, these records say what they hold. The OpenAPI conformance test checks the two agree.

[Description("One workflow: its derived state, decisions, settlements, every event of its timeline and any anomalies.")]
public sealed record WorkflowDetail(
    WorkflowDetailState Workflow,
    [property: Description("Decisions recorded for the workflow, in canonical order.")] IReadOnlyList<DecisionView> Decisions,
    [property: Description("Payments executed for the workflow, in canonical order.")] IReadOnlyList<SettlementView> Settlements,
    [property: Description("Every event of the workflow in the log, in canonical order (block, transaction index, log index).")]
    IReadOnlyList<TimelineEvent> Events,
    [property: Description("Events that did not fit the workflow state machine; recorded, never thrown away.")] IReadOnlyList<AnomalyView> Anomalies);

[Description("The workflow's state as derived by the reducer from its events.")]
public sealed record WorkflowDetailState(
    [property: Description(ApiText.WorkflowId), RegularExpression(ApiText.Bytes32Pattern)] string WorkflowId,
    [property: Description(ApiText.Status), WireNames(typeof(WorkflowStatus))] string Status,
    [property: Description("Where the workflow is in the on-chain state machine; started, approved and settled are all running.")]
    [property: WireNames(typeof(WorkflowPhase))]
    string Phase,
    [property: Description(ApiText.Initiator), RegularExpression(ApiText.AddressPattern)] string? Initiator,
    [property: Description(ApiText.StartedAt)] long? StartedAt,
    [property: Description(ApiText.CompletedAt)] long? CompletedAt,
    [property: Description("Reason of the WorkflowFailed event (also set for a rejection); null otherwise.")] string? FailureReason,
    [property: Description("Sum of the workflow's settlement amounts in wei, as a decimal string (a uint256 fits no JSON number)."), RegularExpression(ApiText.WeiPattern)]
    string SettledTotal);

[Description("A DecisionRecorded event.")]
public sealed record DecisionView(
    [property: Description("Whether the payment was approved.")] bool Approved,
    [property: Description("The reason the approver gave.")] string? Reason,
    [property: Description(ApiText.BlockTimestamp)] long Timestamp);

[Description("A PaymentExecuted event.")]
public sealed record SettlementView(
    [property: Description("Sender of the payment transaction."), RegularExpression(ApiText.AddressPattern)] string? From,
    [property: Description("Payee."), RegularExpression(ApiText.AddressPattern)] string? To,
    [property: Description(ApiText.Wei), RegularExpression(ApiText.WeiPattern)] string? Amount,
    [property: Description(ApiText.BlockTimestamp)] long Timestamp);

[Description("One contract event as stored in the append-only log, with its chain metadata.")]
public sealed record TimelineEvent(
    [property: Description("The contract event."), WireNames(typeof(EventType))] string EventType,
    [property: Description("Block holding the event.")] long BlockNumber,
    [property: Description("Index of the transaction in its block.")] int TransactionIndex,
    [property: Description("Index of the log in its block.")] int LogIndex,
    [property: Description("Hash of the transaction that emitted the event."), RegularExpression(ApiText.Bytes32Pattern)] string TxHash,
    [property: Description("Sender of that transaction, when the worker fetched it (payments); null otherwise."), RegularExpression(ApiText.AddressPattern)]
    string? TxSender,
    [property: Description("Hash of the block holding the event."), RegularExpression(ApiText.Bytes32Pattern)] string BlockHash,
    [property: Description(ApiText.BlockTimestamp)] long BlockTimestamp,
    EventPayloadView Payload);

/// <summary>The event's data fields; its schema (one shape per event type) is written by <see cref="SchemaConventions"/>.</summary>
[Description("The event's data fields, by event type: WORKFLOW_STARTED {initiator}, DECISION_RECORDED {approved, reason}, PAYMENT_EXECUTED {from, to, amount}, WORKFLOW_COMPLETED {}, WORKFLOW_FAILED {reason}.")]
public sealed record EventPayloadView;

[Description("An event that did not fit the workflow state machine.")]
public sealed record AnomalyView(
    [property: Description("What was wrong."), WireNames(typeof(AnomalyKind))] string Kind,
    [property: Description("The event that did not fit."), WireNames(typeof(EventType))] string Event,
    [property: Description("Block of that event.")] long BlockNumber,
    [property: Description("Transaction index of that event.")] int TransactionIndex,
    [property: Description("Log index of that event.")] int LogIndex,
    [property: Description("The workflow's phase before the event; null when it had none yet."), WireNames(typeof(WorkflowPhase))] string? PhaseBefore);
