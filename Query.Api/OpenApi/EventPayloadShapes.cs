using Core.Domain.Events;
using Microsoft.OpenApi;

namespace Query.Api.OpenApi;

/// <summary>The stored payload of each event type (Core.Domain's EventPayload), as a schema per type.</summary>
internal static class EventPayloadShapes
{
    public static List<IOpenApiSchema> All() =>
    [
        Shape(EventTypeNames.WorkflowStarted, ("initiator", Address("Address that started the workflow."))),
        Shape(EventTypeNames.DecisionRecorded,
            ("approved", new OpenApiSchema { Type = JsonSchemaType.Boolean, Description = "Whether the payment was approved." }),
            ("reason", Text("The reason the approver gave."))),
        Shape(EventTypeNames.PaymentExecuted,
            ("from", Address("Sender of the payment.")),
            ("to", Address("Payee.")),
            ("amount", new OpenApiSchema { Type = JsonSchemaType.String, Pattern = ApiText.WeiPattern, Description = ApiText.Wei })),
        Shape(EventTypeNames.WorkflowCompleted),
        Shape(EventTypeNames.WorkflowFailed, ("reason", Text("Why the workflow failed."))),
    ];

    private static OpenApiSchema Shape(string eventType, params (string Name, OpenApiSchema Schema)[] fields) => new()
    {
        Title = eventType,
        Description = $"Payload of a {eventType} event.",
        Type = JsonSchemaType.Object,
        Properties = fields.ToDictionary(field => field.Name, field => (IOpenApiSchema)field.Schema),
        Required = fields.Select(field => field.Name).ToHashSet(),
        // Without this the empty payload of WORKFLOW_COMPLETED would match every other shape too.
        AdditionalPropertiesAllowed = false,
    };

    private static OpenApiSchema Address(string description) =>
        new() { Type = JsonSchemaType.String, Pattern = ApiText.AddressPattern, Description = description };

    private static OpenApiSchema Text(string description) => new() { Type = JsonSchemaType.String, Description = description };
}
