using System.Buffers;
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
    // A uint256 has at most 78 decimal digits.
    private const int MaxAmountLength = 78;

    private enum Field
    {
        Other,
        Initiator,
        Approved,
        Reason,
        From,
        To,
        Amount,
    }

    // One writer a thread, pointed at each output in turn: the worker writes a payload per event it stores.
    [ThreadStatic]
    private static Utf8JsonWriter? writer;

    /// <summary>Writes the event's payload as compact UTF-8 JSON to <paramref name="output"/>.</summary>
    public static void Write(IBufferWriter<byte> output, WorkflowEvent @event)
    {
        var json = writer ??= new Utf8JsonWriter(output, CanonicalJson.WriterOptions);
        json.Reset(output);
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
                WriteAmount(json, payment.Amount);
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
        json.Flush();
    }

    /// <summary>The decimal digits, formatted on the stack when they fit (a uint256 has at most 78).</summary>
    private static void WriteAmount(Utf8JsonWriter json, BigInteger amount)
    {
        Span<char> digits = stackalloc char[80];
        if (amount.TryFormat(digits, out var written, provider: CultureInfo.InvariantCulture))
        {
            json.WriteString("amount", digits[..written]);
        }
        else
        {
            json.WriteString("amount", amount.ToString(CultureInfo.InvariantCulture));
        }
    }

    /// <summary>
    /// Rebuilds an event from its stored UTF-8 payload in one forward pass (no document, no copy of the
    /// payload). Fields the event type does not have are skipped, in any key order (jsonb reorders keys).
    /// </summary>
    /// <exception cref="InvalidEventPayloadException">The payload is not a JSON object holding the fields its event type needs.</exception>
    public static WorkflowEvent Read(EventType type, string workflowId, EventPosition position, long timestamp, ReadOnlySpan<byte> payload)
    {
        try
        {
            string? initiator = null, reason = null, from = null, to = null;
            bool? approved = null;
            BigInteger? amount = null;
            var json = new Utf8JsonReader(payload);
            if (!json.Read() || json.TokenType != JsonTokenType.StartObject)
            {
                throw new FormatException("The payload is not a JSON object.");
            }

            while (json.Read() && json.TokenType == JsonTokenType.PropertyName)
            {
                var field = FieldOf(ref json, type);
                json.Read();
                switch (field)
                {
                    case Field.Initiator: initiator = json.GetString(); break;
                    case Field.Approved: approved = json.GetBoolean(); break;
                    case Field.Reason: reason = json.GetString(); break;
                    case Field.From: from = json.GetString(); break;
                    case Field.To: to = json.GetString(); break;
                    case Field.Amount: amount = ReadAmount(ref json); break;
                    default: json.Skip(); break;
                }
            }

            // Anything after the object (Read throws on trailing data) makes the payload unreadable.
            while (json.Read())
            {
            }

            return type switch
            {
                EventType.WorkflowStarted => new WorkflowStarted(workflowId, position, timestamp, Required(initiator, "initiator")),
                EventType.DecisionRecorded => new DecisionRecorded(
                    workflowId, position, timestamp, approved ?? throw Missing("approved"), Required(reason, "reason")),
                EventType.PaymentExecuted => new PaymentExecuted(
                    workflowId, position, timestamp, Required(from, "from"), Required(to, "to"), amount ?? throw Missing("amount")),
                EventType.WorkflowCompleted => new WorkflowCompleted(workflowId, position, timestamp),
                EventType.WorkflowFailed => new WorkflowFailed(workflowId, position, timestamp, Required(reason, "reason")),
                _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown event type."),
            };
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new InvalidEventPayloadException(type, position, e);
        }
    }

    /// <summary>Which of its own fields <paramref name="type"/> the property at the reader names; any other is skipped.</summary>
    private static Field FieldOf(ref Utf8JsonReader json, EventType type) => type switch
    {
        EventType.WorkflowStarted when json.ValueTextEquals("initiator"u8) => Field.Initiator,
        EventType.DecisionRecorded when json.ValueTextEquals("approved"u8) => Field.Approved,
        EventType.DecisionRecorded or EventType.WorkflowFailed when json.ValueTextEquals("reason"u8) => Field.Reason,
        EventType.PaymentExecuted when json.ValueTextEquals("from"u8) => Field.From,
        EventType.PaymentExecuted when json.ValueTextEquals("to"u8) => Field.To,
        EventType.PaymentExecuted when json.ValueTextEquals("amount"u8) => Field.Amount,
        _ => Field.Other,
    };

    private static BigInteger ReadAmount(ref Utf8JsonReader json)
    {
        // Digits are never escaped, and a longer string is no uint256.
        if (json.TokenType != JsonTokenType.String || json.ValueIsEscaped || json.ValueSpan.Length > MaxAmountLength)
        {
            throw new FormatException("'amount' is not the decimal string of a uint256.");
        }

        Span<char> digits = stackalloc char[MaxAmountLength];
        var length = json.CopyString(digits);
        return BigInteger.Parse(digits[..length], NumberStyles.None, CultureInfo.InvariantCulture);
    }

    private static string Required(string? value, string name) => value ?? throw Missing(name);

    private static FormatException Missing(string name) => new($"'{name}' is missing or null.");
}

public sealed class InvalidEventPayloadException(EventType type, EventPosition position, Exception inner)
    : Exception($"Stored payload of {type.ToName()} at {position} cannot be read: {inner.Message}", inner);
