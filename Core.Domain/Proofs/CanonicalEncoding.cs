using Core.Domain.Events;

namespace Core.Domain.Proofs;

/// <summary>
/// The canonical bytes of an event and of a projection row: what the determinism proofs hash.
/// Any change here changes every hash, so the format is fixed and documented:
/// <code>
/// text      = uint32 big-endian byte length, then the UTF-8 bytes
/// int32     = 4 bytes big-endian (two's complement); int64 = 8 bytes big-endian
/// bool      = 1 byte, 0x00 or 0x01
/// optional  = bool present, then the value when present
/// amount    = text of the invariant decimal string (a uint256 fits no fixed width)
/// position  = int64 block number, int32 transaction index, int32 log index
///
/// event     = text type name (WORKFLOW_STARTED …), text workflow id, position, int64 block timestamp, then
///               WORKFLOW_STARTED    text initiator
///               DECISION_RECORDED   bool approved, text reason
///               PAYMENT_EXECUTED    text from, text to, amount
///               WORKFLOW_COMPLETED  (nothing)
///               WORKFLOW_FAILED     text reason
///
/// row       = text workflow id, text status, text phase, optional text initiator,
///             optional int64 started at, optional int64 completed at, optional text failure reason,
///             position first event, position last event, int32 event count, amount settled total,
///             text decisions, text settlements, text anomalies (each the canonical JSON of WorkflowJson)
/// </code>
/// </summary>
public static class CanonicalEncoding
{
    public static byte[] Of(WorkflowEvent @event)
    {
        var writer = new CanonicalWriter();
        Write(writer, @event);
        return writer.Written.ToArray();
    }

    public static byte[] Of(ProjectionRow row)
    {
        var writer = new CanonicalWriter();
        Write(writer, row);
        return writer.Written.ToArray();
    }

    internal static void Write(CanonicalWriter writer, WorkflowEvent @event)
    {
        writer.Text(@event.Type.ToName());
        writer.Text(@event.WorkflowId);
        writer.Position(@event.Position);
        writer.Int64(@event.Timestamp);
        switch (@event)
        {
            case WorkflowStarted started:
                writer.Text(started.Initiator);
                break;
            case DecisionRecorded decision:
                writer.Bool(decision.Approved);
                writer.Text(decision.Reason);
                break;
            case PaymentExecuted payment:
                writer.Text(payment.From);
                writer.Text(payment.To);
                writer.Amount(payment.Amount);
                break;
            case WorkflowCompleted:
                break;
            case WorkflowFailed failed:
                writer.Text(failed.Reason);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(@event), @event.GetType().Name, "Unknown event record.");
        }
    }

    internal static void Write(CanonicalWriter writer, ProjectionRow row)
    {
        writer.Text(row.WorkflowId);
        writer.Text(row.Status);
        writer.Text(row.Phase);
        writer.OptionalText(row.Initiator);
        writer.OptionalInt64(row.StartedAt);
        writer.OptionalInt64(row.CompletedAt);
        writer.OptionalText(row.FailureReason);
        writer.Position(row.FirstEvent);
        writer.Position(row.LastEvent);
        writer.Int32(row.EventCount);
        writer.Amount(row.SettledTotal);
        writer.Text(row.Decisions);
        writer.Text(row.Settlements);
        writer.Text(row.Anomalies);
    }
}
