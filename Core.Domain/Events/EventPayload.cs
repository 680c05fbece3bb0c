using System.Globalization;
using System.Numerics;
using System.Text.Json;

namespace Core.Domain.Events;

/// <summary>
/// The JSON payload the event log stores for each event: the event's data fields, enough to
/// rebuild the event without the chain. Amounts are decimal strings (a uint256 fits no JSON number).
/// </summary>
public static class EventPayload
{
    public static string Write(WorkflowEvent @event)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, CanonicalJson.WriterOptions))
        {
            json.WriteStartObject();
            switch (@event)
            {
                case WorkflowStarted started:
                    json.WriteString("initiator", started.Initiator);
                    break;
                case DecisionRecorded decision:
                    json.WriteBoolean("approved", decision.Approved);
                    json.WriteString("reason", decision.Reason);
                    break;
                case PaymentExecuted payment:
                    json.WriteString("from", payment.From);
                    json.WriteString("to", payment.To);
                    json.WriteString("amount", payment.Amount.ToString(CultureInfo.InvariantCulture));
                    break;
                case WorkflowCompleted:
                    break;
                case WorkflowFailed failed:
                    json.WriteString("reason", failed.Reason);
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(@event), @event.GetType().Name, "Unknown event record.");
            }

            json.WriteEndObject();
        }

        return CanonicalJson.Utf8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <exception cref="InvalidEventPayloadException">The payload lacks a field its event type needs.</exception>
    public static WorkflowEvent Read(EventType type, string workflowId, EventPosition position, long timestamp, string payload)
    {
        try
        {
            using var document = JsonDocument.Parse(payload);
            var root = document.RootElement;
            return type switch
            {
                EventType.WorkflowStarted => new WorkflowStarted(workflowId, position, timestamp, Text(root, "initiator")),
                EventType.DecisionRecorded => new DecisionRecorded(
                    workflowId, position, timestamp, root.GetProperty("approved").GetBoolean(), Text(root, "reason")),
                EventType.PaymentExecuted => new PaymentExecuted(
                    workflowId,
                    position,
                    timestamp,
                    Text(root, "from"),
                    Text(root, "to"),
                    BigInteger.Parse(Text(root, "amount"), NumberStyles.None, CultureInfo.InvariantCulture)),
                EventType.WorkflowCompleted => new WorkflowCompleted(workflowId, position, timestamp),
                EventType.WorkflowFailed => new WorkflowFailed(workflowId, position, timestamp, Text(root, "reason")),
                _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown event type."),
            };
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new InvalidEventPayloadException(type, position, e);
        }
    }

    private static string Text(JsonElement root, string name) =>
        root.GetProperty(name).GetString() ?? throw new FormatException($"'{name}' is null.");
}

public sealed class InvalidEventPayloadException(EventType type, EventPosition position, Exception inner)
    : Exception($"Stored payload of {type.ToName()} at {position} cannot be read: {inner.Message}", inner);
