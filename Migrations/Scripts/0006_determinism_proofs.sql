-- The latest determinism proof: the event-log hash and the projection hash of one consistent
-- snapshot, with the checkpoint block that snapshot covers. One row, replaced by each computation
-- (the worker recomputes it every PROOF_INTERVAL_MS); `Indexer.Worker verify` rechecks it.
CREATE TABLE determinism_proof (
    id                  smallint     PRIMARY KEY DEFAULT 1 CHECK (id = 1),
    covered_block       bigint,                  -- sync_checkpoint.last_block in the same snapshot
    covered_block_hash  varchar(66),             -- and its hash: after a reorg, one block number may name another log
    event_count         bigint       NOT NULL,
    event_log_hash      varchar(66)  NOT NULL,   -- SHA-256 chain over chain_event in canonical order
    workflow_count      bigint       NOT NULL,
    projection_hash     varchar(66)  NOT NULL,   -- SHA-256 over workflow_state in workflow_id (byte) order
    computed_at         timestamptz  NOT NULL,
    computation_ms      bigint       NOT NULL
);

GRANT SELECT ON determinism_proof TO x402_reader;
