-- GET /workflows pages newest first through this index. With the summary's columns in the index, a
-- page, even one deep into the list (a large OFFSET), is an index-only scan that never visits the table.
DROP INDEX workflow_state_newest_first;

CREATE INDEX workflow_state_newest_first
    ON workflow_state (first_event_block DESC, first_event_transaction_index DESC, first_event_log_index DESC)
    INCLUDE (workflow_id, status, initiator, started_at, completed_at);
