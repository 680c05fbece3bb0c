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

    public static async Task AppendAsync(
        NpgsqlConnection connection,
        IReadOnlyList<IngestedEvent> events,
        long chainId,
        string contractAddress,
        CancellationToken cancellationToken)
    {
        if (events.Count == 0)
        {
            return;
        }

        await using var copy = await BinaryCopyWriter.BeginAsync(connection, CopyIn, cancellationToken);
        foreach (var ingested in events)
        {
            var @event = ingested.Event;
            copy.StartRow(13);
            copy.Uuid(ingested.IdFor(chainId, contractAddress));
            copy.Int64(chainId);
            copy.Text(contractAddress);
            copy.Text(@event.WorkflowId);
            copy.Text(@event.Type.ToName());
            copy.Jsonb(EventPayload.Write(@event));
            copy.Int64(@event.Position.BlockNumber);
            copy.Int32(@event.Position.TransactionIndex);
            copy.Int32(@event.Position.LogIndex);
            copy.Text(ingested.TxHash);
            copy.Text(ingested.TxSender);
            copy.Text(ingested.BlockHash);
            copy.Int64(@event.Timestamp);
            await copy.EndRowAsync(cancellationToken);
        }

        await copy.CompleteAsync(cancellationToken);
    }
}
