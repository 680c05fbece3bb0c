-- GET /workflows filters, GET /stats with the same filters, and GET /stats/timeline: every combination is
-- served by an index (tests/Query.Api.Tests/Plans checks the plans). Status alone needs none of its own:
-- workflow_state_newest_first carries status, and the list walks it in order, filtering.

-- initiator=…: that initiator's workflows, already newest first (keyset pages are index conditions).
CREATE INDEX workflow_state_initiator_newest_first
    ON workflow_state (initiator, first_event_block DESC, first_event_transaction_index DESC, first_event_log_index DESC);

-- payee=…: settlements @> '[{"to": "0x…"}]' on the stored settlements, no extra projection column.
-- jsonb_path_ops: smaller than the default operator class, and containment is the only test made.
CREATE INDEX workflow_state_settlements ON workflow_state USING gin (settlements jsonb_path_ops);

-- startedFrom/startedTo, and the timeline's started counts (status included: counts by status without the table).
CREATE INDEX workflow_state_started_at ON workflow_state (started_at) INCLUDE (status);

-- The timeline's completed/failed/rejected counts: when each workflow ended, and how.
CREATE INDEX workflow_state_ended_at ON workflow_state (completed_at) INCLUDE (status) WHERE completed_at IS NOT NULL;

-- The timeline's settled amounts: payments by block time (only payments are in this index).
CREATE INDEX chain_event_payments_by_time ON chain_event (block_timestamp) WHERE event_type = 'PAYMENT_EXECUTED';
