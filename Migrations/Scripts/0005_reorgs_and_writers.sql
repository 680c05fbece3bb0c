-- Reorg handling: the blocks the event log stands on, the reorgs seen, and the events they orphaned.

-- Every block the worker ingested events from, and the last block of every ingested range, with
-- the hashes the node gave at the time. A reorg shows up as a different canonical hash at one of them.
CREATE TABLE ingested_block (
    block_number  bigint       PRIMARY KEY,
    block_hash    varchar(66)  NOT NULL,
    parent_hash   varchar(66)  NOT NULL
);

-- One row per reorg deeper than the confirmation window that reached the event log.
CREATE TABLE reorg (
    id                 bigint       GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    detected_at        timestamptz  NOT NULL DEFAULT now(),
    last_block         bigint       NOT NULL,   -- the worker's last ingested block when it noticed
    old_block_hash     varchar(66)  NOT NULL,   -- that block's hash as ingested
    new_block_hash     varchar(66),             -- the node's canonical hash at that height
    common_ancestor    bigint       NOT NULL,   -- the highest block both chains share; ingestion resumes after it
    depth              integer      NOT NULL CHECK (depth > 0),
    orphaned_events    integer      NOT NULL
);

-- The audit trail: events moved out of chain_event because their block left the canonical chain.
CREATE TABLE orphaned_event (
    LIKE chain_event,
    reorg_id     bigint       NOT NULL REFERENCES reorg (id),
    orphaned_at  timestamptz  NOT NULL DEFAULT now()
);

CREATE INDEX orphaned_event_reorg ON orphaned_event (reorg_id);

-- Every worker process, writer or hot standby, with its heartbeat. Exactly one holds the
-- advisory lock and writes; /status shows which.
CREATE TABLE worker_instance (
    instance_id   text         PRIMARY KEY,
    role          text         NOT NULL CHECK (role IN ('writer', 'standby')),
    started_at    timestamptz  NOT NULL,
    heartbeat_at  timestamptz  NOT NULL
);

GRANT SELECT ON ingested_block, reorg, orphaned_event, worker_instance TO x402_reader;
