-- Query.Api connects as a login role that is a member of x402_reader: it can read, nothing else.
-- A DBA creates that login role, for example:
--   CREATE ROLE x402_api LOGIN PASSWORD '...' IN ROLE x402_reader;
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'x402_reader') THEN
        CREATE ROLE x402_reader NOLOGIN;
    END IF;
END
$$;

GRANT USAGE ON SCHEMA public TO x402_reader;
GRANT SELECT ON chain_event, workflow_state, sync_checkpoint, indexer_status, schema_migrations TO x402_reader;
