-- The append-only event log. Normal operation only ever INSERTs here; every row is one
-- contract log, identified on chain by (tx_hash, log_index) and ordered canonically by
-- (block_number, transaction_index, log_index).
CREATE TABLE chain_event (
    id                uuid         PRIMARY KEY,
    chain_id          bigint       NOT NULL,
    contract_address  varchar(42)  NOT NULL,
    workflow_id       varchar(66)  NOT NULL,
    event_type        text         NOT NULL CHECK (event_type IN (
                          'WORKFLOW_STARTED', 'DECISION_RECORDED', 'PAYMENT_EXECUTED',
                          'WORKFLOW_COMPLETED', 'WORKFLOW_FAILED')),
    payload           jsonb        NOT NULL,
    block_number      bigint       NOT NULL CHECK (block_number >= 0),
    transaction_index integer      NOT NULL CHECK (transaction_index >= 0),
    log_index         integer      NOT NULL CHECK (log_index >= 0),
    tx_hash           varchar(66)  NOT NULL,
    tx_sender         varchar(42),             -- fetched for PAYMENT_EXECUTED (the settlement's "from")
    block_hash        varchar(66)  NOT NULL,
    block_timestamp   bigint       NOT NULL,
    created_at        timestamptz  NOT NULL DEFAULT now(),
    CONSTRAINT chain_event_tx_log_unique UNIQUE (tx_hash, log_index)
);

-- Canonical order: replay, the event-log hash and range scans read through it.
CREATE UNIQUE INDEX chain_event_canonical_order
    ON chain_event (block_number, transaction_index, log_index);

-- One workflow's timeline (GET /workflows/{id}) and replay grouped by workflow.
CREATE INDEX chain_event_workflow_timeline
    ON chain_event (workflow_id, block_number, transaction_index, log_index);
