using Core.Domain.Events;
using Indexer.Worker.Ingestion;
using Migrations.Copy;
using Npgsql;

namespace Indexer.Worker.EventLog;

/// <summary>
/// Appends to the event log by binary COPY straight into chain_event. Only the checkpoint decides
/// what is appended (a range above it, in the transaction that advances it), so the rows are new by
/// construction; the unique indexes still refuse a row already stored, failing the whole range.
/// </summary>
public static class ChainEventStore
{
    private const string CopyIn = """
        COPY chain_event (id, chain_id, contract_address, workflow_id, event_type, payload, block_number,
                          transaction_index, log_index, tx_hash, tx_sender, block_hash, block_timestamp)
        FROM STDIN (FORMAT BINARY)
        """;

    /// <summary>
    /// Encodes events as chain_event COPY rows. It needs nothing from the database, so it runs where the
    /// range was fetched, ahead of the commit, which then only streams the bytes.
    /// </summary>
    // A little above what an event's row takes (a payment's, the largest, is about 400 bytes), so the buffer rarely grows.
    private const int EncodedBytesPerEvent = 420;

    public static EventRows Encode(IReadOnlyList<IngestedEvent> events, long chainId, string contractAddress)
    {
        var buffer = new PooledBufferWriter(Math.Max(1, events.Count) * EncodedBytesPerEvent);
        var rows = new BinaryCopyEncoder(buffer);
        foreach (var ingested in events)
        {
            var @event = ingested.Event;
            rows.StartRow(13);
            rows.Uuid(ingested.IdFor(chainId, contractAddress));
            rows.Int64(chainId);
            rows.Text(contractAddress);
            rows.Text(@event.WorkflowId);
            rows.Text(@event.Type.ToName());
            rows.Jsonb(@event, EventPayload.Write);
            rows.Int64(@event.Position.BlockNumber);
            rows.Int32(@event.Position.TransactionIndex);
            rows.Int32(@event.Position.LogIndex);
            rows.Text(ingested.TxHash);
            rows.Text(ingested.TxSender);
            rows.Text(ingested.BlockHash);
            rows.Int64(@event.Timestamp);
        }

        return new EventRows(buffer, events.Count);
    }

    public static async Task AppendAsync(NpgsqlConnection connection, EventRows rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return;
        }

        await using var copy = await BinaryCopyWriter.BeginAsync(connection, CopyIn, cancellationToken);
        await copy.WriteEncodedAsync(rows.Bytes, cancellationToken);
        await copy.CompleteAsync(cancellationToken);
    }
}

/// <summary>Events encoded as chain_event COPY rows (<see cref="ChainEventStore.Encode"/>), in a pooled buffer that Dispose gives back.</summary>
public sealed class EventRows(PooledBufferWriter buffer, int count) : IDisposable
{
    /// <exception cref="ObjectDisposedException">The rows were disposed.</exception>
    public ReadOnlyMemory<byte> Bytes => buffer.WrittenMemory;

    public int Count => count;

    public void Dispose() => buffer.Dispose();
}
