using Npgsql;

namespace Query.Api.Tests.Plans;

/// <summary>
/// A synthetic, internally consistent history written straight in SQL (as deploy/api-load.sql does), large
/// and long enough that the planner's choices are the ones of a real database: $1 workflows, four starting
/// each block, a block an hour (so about 200 days for 20,000 workflows), addresses of 40 hex digits.
/// Mix by i % 20: 0-13 completed (4 events), 14-15 rejected (3), 16 failed (3), 17-18 running and settled
/// (3), 19 running and approved (2). Workflow i starts in block 1 + i / 4, transaction i % 4; its k-th
/// event is in block start + k, same transaction, log index k.
/// </summary>
internal static class SyntheticHistory
{
    public const long BlockSeconds = 3600;

    private const string Workflows = """
            SELECT '0x' || md5('workflow:' || i) || md5('workflow2:' || i) AS workflow_id,
                   '0x' || md5('initiator:' || i % 500) || substr(md5('i2:' || i % 500), 1, 8) AS initiator,
                   '0x' || md5('payee:' || i % 97) || substr(md5('p2:' || i % 97), 1, 8) AS payee,
                   1 + i / 4 AS start_block, i % 4 AS tx, ((i % 100) + 1)::numeric * 100000000000000000000 AS amount,
                   CASE WHEN i % 20 < 14 THEN 'completed' WHEN i % 20 < 16 THEN 'rejected' WHEN i % 20 = 16 THEN 'failed' ELSE 'running' END AS status,
                   CASE WHEN i % 20 < 14 THEN 4 WHEN i % 20 < 19 THEN 3 ELSE 2 END AS events
            FROM generate_series(0, $1 - 1) AS i
        """;

    private const string InsertEvents = $$"""
        INSERT INTO chain_event (id, chain_id, contract_address, workflow_id, event_type, payload, block_number,
                                 transaction_index, log_index, tx_hash, tx_sender, block_hash, block_timestamp)
        SELECT md5(w.workflow_id || ':' || k)::uuid, 31337, '0x5fbdb2315678afecb367f032d93f642f64180aa3', w.workflow_id,
               CASE k WHEN 0 THEN 'WORKFLOW_STARTED'
                      WHEN 1 THEN 'DECISION_RECORDED'
                      WHEN 2 THEN CASE WHEN w.status IN ('rejected', 'failed') THEN 'WORKFLOW_FAILED' ELSE 'PAYMENT_EXECUTED' END
                      ELSE 'WORKFLOW_COMPLETED' END,
               CASE k WHEN 0 THEN jsonb_build_object('initiator', w.initiator)
                      WHEN 1 THEN jsonb_build_object('approved', w.status <> 'rejected', 'reason', 'r')
                      WHEN 2 THEN CASE WHEN w.status IN ('rejected', 'failed') THEN jsonb_build_object('reason', 'r')
                                       ELSE jsonb_build_object('from', w.initiator, 'to', w.payee, 'amount', w.amount::text) END
                      ELSE '{}'::jsonb END,
               w.start_block + k, w.tx, k,
               '0x' || md5('tx:' || (w.start_block + k) || ':' || w.tx) || md5('tx2:' || (w.start_block + k) || ':' || w.tx),
               w.initiator,
               '0x' || md5('block:' || (w.start_block + k)) || md5('block2:' || (w.start_block + k)),
               1700000000 + (w.start_block + k) * 3600
        FROM (
        {{Workflows}}
        ) AS w, generate_series(0, w.events - 1) AS k
        ORDER BY w.start_block + k, w.tx, k
        """;

    private const string InsertProjection = $$"""
        INSERT INTO workflow_state (workflow_id, status, phase, initiator, started_at, completed_at, failure_reason,
                                    first_event_block, first_event_transaction_index, first_event_log_index,
                                    last_event_block, last_event_transaction_index, last_event_log_index,
                                    event_count, settled_total, decisions, settlements, anomalies)
        SELECT w.workflow_id, w.status,
               CASE WHEN w.status <> 'running' THEN w.status WHEN w.events = 3 THEN 'settled' ELSE 'approved' END,
               w.initiator, 1700000000 + w.start_block * 3600,
               CASE WHEN w.status <> 'running' THEN 1700000000 + (w.start_block + w.events - 1) * 3600 END,
               CASE WHEN w.status IN ('rejected', 'failed') THEN 'r' END,
               w.start_block, w.tx, 0, w.start_block + w.events - 1, w.tx, w.events - 1, w.events,
               CASE WHEN w.status IN ('completed', 'running') AND w.events >= 3 THEN w.amount ELSE 0 END,
               jsonb_build_array(jsonb_build_object('approved', w.status <> 'rejected', 'reason', 'r', 'timestamp', 1700000000 + (w.start_block + 1) * 3600)),
               CASE WHEN w.status IN ('completed', 'running') AND w.events >= 3 THEN jsonb_build_array(jsonb_build_object(
                   'from', w.initiator, 'to', w.payee, 'amount', w.amount::text, 'timestamp', 1700000000 + (w.start_block + 2) * 3600))
                    ELSE '[]'::jsonb END,
               '[]'::jsonb
        FROM (
        {{Workflows}}
        ) AS w
        """;

    public static long TimestampOf(long block) => 1_700_000_000 + (block * BlockSeconds);

    public static async Task WriteAsync(NpgsqlDataSource database, int workflows)
    {
        await using var connection = await database.OpenConnectionAsync();

        // The test server commits asynchronously; VACUUM marks no page all-visible whose rows' commit is not
        // yet flushed, and the planner would then price index-only scans as heap reads. Commit as production does.
        await ExecuteAsync(connection, "SET synchronous_commit = on");
        foreach (var statement in new[] { InsertEvents, InsertProjection })
        {
            await using var insert = new NpgsqlCommand(statement, connection);
            insert.Parameters.Add(new NpgsqlParameter<int> { TypedValue = workflows });
            await insert.ExecuteNonQueryAsync();
        }

        // As autovacuum would leave them: statistics for the planner, visibility maps for index-only scans.
        await ExecuteAsync(connection, "VACUUM ANALYZE chain_event");
        await ExecuteAsync(connection, "VACUUM ANALYZE workflow_state");
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
