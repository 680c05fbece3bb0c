using Core.Domain.Events;
using Indexer.Worker.Ingestion;
using Npgsql;
using NpgsqlTypes;

namespace Indexer.Worker.EventLog;

/// <summary>
/// Appends to the event log. Rows go in by binary COPY into a session temp table and from there
/// into chain_event, skipping any (tx_hash, log_index) already stored, so re-ingesting a range changes nothing.
/// </summary>
public static class ChainEventStore
{
    private const string CreateStaging = """
        CREATE TEMP TABLE IF NOT EXISTS incoming_event
            (LIKE chain_event INCLUDING DEFAULTS) ON COMMIT DELETE ROWS
        """;

    private const string CopyIntoStaging = """
        COPY incoming_event (id, chain_id, contract_address, workflow_id, event_type, payload, block_number,
                             transaction_index, log_index, tx_hash, tx_sender, block_hash, block_timestamp)
        FROM STDIN (FORMAT BINARY)
        """;

    private const string AppendNew = """
        INSERT INTO chain_event (id, chain_id, contract_address, workflow_id, event_type, payload, block_number,
                                 transaction_index, log_index, tx_hash, tx_sender, block_hash, block_timestamp)
        SELECT id, chain_id, contract_address, workflow_id, event_type, payload, block_number,
               transaction_index, log_index, tx_hash, tx_sender, block_hash, block_timestamp
        FROM incoming_event
        ORDER BY block_number, transaction_index, log_index
        ON CONFLICT (tx_hash, log_index) DO NOTHING
        RETURNING tx_hash, log_index
        """;

    /// <returns>The events that were new, in canonical order.</returns>
    public static async Task<IReadOnlyList<IngestedEvent>> AppendAsync(
        NpgsqlConnection connection,
        IReadOnlyList<IngestedEvent> events,
        long chainId,
        string contractAddress,
        CancellationToken cancellationToken)
    {
        if (events.Count == 0)
        {
            return [];
        }

        await using (var create = new NpgsqlCommand(CreateStaging, connection))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var copy = await connection.BeginBinaryImportAsync(CopyIntoStaging, cancellationToken))
        {
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

        var inserted = new HashSet<(string TxHash, int LogIndex)>();
        await using (var append = new NpgsqlCommand(AppendNew, connection))
        await using (var reader = await append.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                inserted.Add((reader.GetString(0), reader.GetInt32(1)));
            }
        }

        return events
            .Where(ingested => inserted.Contains((ingested.TxHash, ingested.Event.Position.LogIndex)))
            .OrderBy(ingested => ingested.Event.Position)
            .ToList();
    }
}
