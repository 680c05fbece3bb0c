-- A worker that shuts down cleanly says so, so that /status stops listing it at once instead of
-- after its heartbeat has aged a minute.
ALTER TABLE worker_instance ADD COLUMN stopped_at timestamptz;
