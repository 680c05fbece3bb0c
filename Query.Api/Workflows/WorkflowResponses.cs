using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Core.Domain.Workflows;
using Query.Api.OpenApi;

namespace Query.Api.Workflows;

// The seed's JSON shapes (camelCase on the wire). GET /workflows/{id} is written by WorkflowDetailJson (its shape: WorkflowDetail).

[Description("A workflow in the list.")]
public sealed record WorkflowSummary(
    [property: Description(ApiText.WorkflowId), RegularExpression(ApiText.Bytes32Pattern)] string WorkflowId,
    [property: Description(ApiText.Status), WireNames(typeof(WorkflowStatus))] string Status,
    [property: Description(ApiText.Initiator), RegularExpression(ApiText.AddressPattern)] string? Initiator,
    [property: Description(ApiText.StartedAt)] long? StartedAt,
    [property: Description(ApiText.CompletedAt)] long? CompletedAt);
