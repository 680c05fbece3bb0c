-- A synthetic, internally consistent event log and projection for deploy/api-load.sh, written the
-- way the worker writes them (same columns, payload and projection JSON shapes, checkpoint and
-- status rows). psql variable :workflows sets the size; about 3.65 events per workflow.
-- Workflow i starts in block 1 + i / 350 at transaction i % 350; its k-th event is in block
-- start + k, same transaction index, log index k. Mix by i % 20: 0-13 completed (4 events),
-- 14-15 rejected (3), 16 failed (3), 17-18 running, settled (3), 19 running, approved (2).
SET synchronous_commit = off;

CREATE TEMP TABLE synthetic AS
SELECT i,
       '0x' || md5('workflow:' || i) || md5('workflow2:' || i) AS workflow_id,
       -- Addresses of 40 hex digits, as on chain (an md5 has 32), so that initiator= and payee= accept them.
       '0x' || md5('initiator:' || (i % 500)) || substr(md5('initiator2:' || (i % 500)), 1, 8) AS initiator,
       '0x' || md5('payee:' || (i % 97)) || substr(md5('payee2:' || (i % 97)), 1, 8) AS payee,
       1 + i / 350 AS start_block,
       i % 350 AS tx,
       ((i % 100) + 1)::numeric * 1000000000000000000 AS amount,
       CASE WHEN i % 20 < 14 THEN 'completed' WHEN i % 20 < 16 THEN 'rejected' WHEN i % 20 = 16 THEN 'failed' ELSE 'running' END AS status,
       CASE WHEN i % 20 < 14 THEN 'completed' WHEN i % 20 < 16 THEN 'rejected' WHEN i % 20 = 16 THEN 'failed'
            WHEN i % 20 < 19 THEN 'settled' ELSE 'approved' END AS phase,
       CASE WHEN i % 20 < 14 THEN 4 WHEN i % 20 < 19 THEN 3 ELSE 2 END AS events
FROM generate_series(0, :workflows - 1) AS i;

-- Event k of each workflow: its type follows from the workflow's mix.
CREATE TEMP TABLE synthetic_event AS
SELECT s.*, k, s.start_block + k AS block,
       CASE k WHEN 0 THEN 'WORKFLOW_STARTED'
              WHEN 1 THEN 'DECISION_RECORDED'
              WHEN 2 THEN CASE WHEN s.status IN ('rejected', 'failed') THEN 'WORKFLOW_FAILED' ELSE 'PAYMENT_EXECUTED' END
              ELSE 'WORKFLOW_COMPLETED' END AS event_type
FROM synthetic s, generate_series(0, s.events - 1) AS k;

INSERT INTO chain_event (id, chain_id, contract_address, workflow_id, event_type, payload, block_number,
                         transaction_index, log_index, tx_hash, tx_sender, block_hash, block_timestamp)
SELECT md5(e.workflow_id || ':' || e.k)::uuid, 31337, '0x5fbdb2315678afecb367f032d93f642f64180aa3', e.workflow_id,
       e.event_type,
       CASE e.event_type
           WHEN 'WORKFLOW_STARTED' THEN jsonb_build_object('initiator', e.initiator)
           WHEN 'DECISION_RECORDED' THEN jsonb_build_object('approved', e.status <> 'rejected',
               'reason', CASE WHEN e.status = 'rejected' THEN 'over budget' ELSE 'Payment verified' END)
           WHEN 'PAYMENT_EXECUTED' THEN jsonb_build_object('from', e.initiator, 'to', e.payee, 'amount', e.amount::text)
           WHEN 'WORKFLOW_FAILED' THEN jsonb_build_object('reason', CASE WHEN e.status = 'rejected' THEN 'over budget' ELSE 'provider timeout' END)
           ELSE '{}'::jsonb END,
       e.block, e.tx, e.k,
       '0x' || md5('tx:' || e.block || ':' || e.tx) || md5('tx2:' || e.block || ':' || e.tx),
       CASE WHEN e.event_type = 'PAYMENT_EXECUTED' THEN e.initiator END,
       '0x' || md5('block:' || e.block) || md5('block2:' || e.block),
       1700000000 + e.block * 2
FROM synthetic_event e
ORDER BY e.block, e.tx, e.k;

INSERT INTO workflow_state (workflow_id, status, phase, initiator, started_at, completed_at, failure_reason,
                            first_event_block, first_event_transaction_index, first_event_log_index,
                            last_event_block, last_event_transaction_index, last_event_log_index,
                            event_count, settled_total, decisions, settlements, anomalies)
SELECT s.workflow_id, s.status, s.phase, s.initiator, 1700000000 + s.start_block * 2,
       CASE WHEN s.status <> 'running' THEN 1700000000 + (s.start_block + s.events - 1) * 2 END,
       CASE s.status WHEN 'rejected' THEN 'over budget' WHEN 'failed' THEN 'provider timeout' END,
       s.start_block, s.tx, 0,
       s.start_block + s.events - 1, s.tx, s.events - 1,
       s.events,
       CASE WHEN s.phase IN ('completed', 'settled') THEN s.amount ELSE 0 END,
       jsonb_build_array(jsonb_build_object('approved', s.status <> 'rejected',
           'reason', CASE WHEN s.status = 'rejected' THEN 'over budget' ELSE 'Payment verified' END,
           'timestamp', 1700000000 + (s.start_block + 1) * 2)),
       CASE WHEN s.phase IN ('completed', 'settled') THEN jsonb_build_array(jsonb_build_object(
           'from', s.initiator, 'to', s.payee, 'amount', s.amount::text, 'timestamp', 1700000000 + (s.start_block + 2) * 2))
            ELSE '[]'::jsonb END,
       '[]'::jsonb
FROM synthetic s;

INSERT INTO sync_checkpoint (id, chain_id, contract_address, start_block, last_block, last_block_hash, event_count)
SELECT 1, 31337, '0x5fbdb2315678afecb367f032d93f642f64180aa3', 0, max(block_number),
       '0x' || md5('block:' || max(block_number)) || md5('block2:' || max(block_number)), count(*)
FROM chain_event;

UPDATE indexer_status
SET instance_id = 'api-load', chain_id = 31337, chain_head = c.last_block + 3, confirmed_head = c.last_block,
    replay_state = 'done', replay_events_done = c.event_count, replay_events_total = c.event_count,
    replay_started_at = now(), replay_finished_at = now(), worker_started_at = now(), heartbeat_at = now()
FROM sync_checkpoint c
WHERE indexer_status.id = 1;

-- As autovacuum would leave them: statistics for the planner, visibility maps for index-only scans.
VACUUM ANALYZE chain_event;
VACUUM ANALYZE workflow_state;
