using Core.Domain.Events;
using Indexer.Worker.Ingestion;
using Npgsql;
using NpgsqlTypes;

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

        await using var copy = await connection.BeginBinaryImportAsync(CopyIn, cancellationToken);
        foreach (var ingested in events)
        {
            var @event = ingested.Event;
            await copy.StartRowAsync(cancellationToken);
            await copy.WriteAsync(ingested.IdFor(chainId, contractAddress), NpgsqlDbType.Uuid, cancellationToken);
            await copy.WriteAsync(chainId, NpgsqlDbType.Bigint, cancellationToken);
            await copy.WriteAsync(contractAddress, NpgsqlDbType.Varchar, cancellationToken);
            await copy.WriteAsync(@event.WorkflowId, NpgsqlDbType.Varchar, cancellationToken);
            await copy.WriteAsync(@event.Type.ToName(), NpgsqlDbType.Text, cancellationToken);
            await copy.WriteAsync(EventPayload.Write(@event), NpgsqlDbType.Jsonb, cancellationToken);
            await copy.WriteAsync(@event.Position.BlockNumber, NpgsqlDbType.Bigint, cancellationToken);
            await copy.WriteAsync(@event.Position.TransactionIndex, NpgsqlDbType.Integer, cancellationToken);
            await copy.WriteAsync(@event.Position.LogIndex, NpgsqlDbType.Integer, cancellationToken);
            await copy.WriteAsync(ingested.TxHash, NpgsqlDbType.Varchar, cancellationToken);
            if (ingested.TxSender is null)
            {
                await copy.WriteNullAsync(cancellationToken);
            }
            else
            {
                await copy.WriteAsync(ingested.TxSender, NpgsqlDbType.Varchar, cancellationToken);
            }

            await copy.WriteAsync(ingested.BlockHash, NpgsqlDbType.Varchar, cancellationToken);
            await copy.WriteAsync(@event.Timestamp, NpgsqlDbType.Bigint, cancellationToken);
        }

        await copy.CompleteAsync(cancellationToken);
    }
}
