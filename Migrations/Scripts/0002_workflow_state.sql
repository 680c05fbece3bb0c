-- The derived projection: one row per workflow, rebuilt from chain_event by replay at any time.
-- Status and phase are lowercase, as the API shows them. The JSON columns hold the API's
-- shapes (decisions, settlements) and the reducer's anomalies.
CREATE TABLE workflow_state (
    workflow_id                   varchar(66)   PRIMARY KEY,
    status                        text          NOT NULL CHECK (status IN ('running', 'completed', 'failed', 'rejected')),
    phase                         text          NOT NULL CHECK (phase IN ('started', 'approved', 'settled', 'completed', 'rejected', 'failed')),
    initiator                     varchar(42),
    started_at                    bigint,
    completed_at                  bigint,
    failure_reason                text,
    first_event_block             bigint        NOT NULL,
    first_event_transaction_index integer       NOT NULL,
    first_event_log_index         integer       NOT NULL,
    last_event_block              bigint        NOT NULL,
    last_event_transaction_index  integer       NOT NULL,
    last_event_log_index          integer       NOT NULL,
    event_count                   integer       NOT NULL,
    settled_total                 numeric(78,0) NOT NULL,
    decisions                     jsonb         NOT NULL,
    settlements                   jsonb         NOT NULL,
    anomalies                     jsonb         NOT NULL
);

-- GET /workflows lists newest first: by the position of each workflow's first event.
CREATE INDEX workflow_state_newest_first
    ON workflow_state (first_event_block DESC, first_event_transaction_index DESC, first_event_log_index DESC);

-- GET /stats counts by status.
CREATE INDEX workflow_state_status ON workflow_state (status);
