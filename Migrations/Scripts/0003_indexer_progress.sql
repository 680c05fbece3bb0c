-- How far the worker has ingested. Advanced only in the transaction that stores the range's events.
-- One row: a database indexes one contract on one chain.
CREATE TABLE sync_checkpoint (
    id                smallint     PRIMARY KEY DEFAULT 1 CHECK (id = 1),
    chain_id          bigint       NOT NULL,
    contract_address  varchar(42)  NOT NULL,
    start_block       bigint       NOT NULL,
    last_block        bigint       NOT NULL,
    last_block_hash   varchar(66),
    event_count       bigint       NOT NULL DEFAULT 0,
    updated_at        timestamptz  NOT NULL DEFAULT now()
);

-- What the worker reports about itself for GET /status. The API and the worker share nothing
-- but the database, so liveness and replay progress live here.
CREATE TABLE indexer_status (
    id                        smallint          PRIMARY KEY DEFAULT 1 CHECK (id = 1),
    instance_id               text,
    chain_id                  bigint,
    chain_head                bigint,
    confirmed_head            bigint,
    replay_state              text              NOT NULL DEFAULT 'pending'
                                  CHECK (replay_state IN ('pending', 'running', 'done', 'failed')),
    replay_events_done        bigint            NOT NULL DEFAULT 0,
    replay_events_total       bigint            NOT NULL DEFAULT 0,
    replay_events_per_second  double precision,
    replay_started_at         timestamptz,
    replay_finished_at        timestamptz,
    worker_started_at         timestamptz,
    heartbeat_at              timestamptz,
    rpc_circuit               text              NOT NULL DEFAULT 'closed'
);

INSERT INTO indexer_status (id) VALUES (1);
