-- Least-privilege roles for one x402 Workflow Observer database. A template: a DBA runs it once per
-- database as a superuser (or a role with CREATEROLE that owns the database), before the first
-- migration, giving the names and passwords as psql variables:
--
--   psql "postgresql://admin@host/x402" -v ON_ERROR_STOP=1 -f deploy/sql/roles.sql \
--     -v database=x402 -v worker_role=x402_worker -v worker_password='…' \
--     -v api_role=x402_api -v api_password='…'
--
-- Running it again updates the passwords and re-applies the grants. Then, as the worker role:
--   DATABASE_URL=postgresql://x402_worker:…@host/x402 dotnet Migrations.dll apply
--
-- worker_role: applies the migrations and so owns the schema's tables (replay builds a new
--   workflow_state and swaps it in, which takes ownership); writes the event log and projection.
--   It may connect to this database only, create in its schema only, and nothing server-wide.
-- api_role: member of x402_reader (created here, granted SELECT by the migrations), read-only by
--   default transaction too; it may connect, read, and nothing else.

\set ON_ERROR_STOP on

SELECT format('CREATE ROLE %I', :'worker_role')
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'worker_role') \gexec
ALTER ROLE :"worker_role" WITH LOGIN PASSWORD :'worker_password'
    NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT;

SELECT 'CREATE ROLE x402_reader NOLOGIN'
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'x402_reader') \gexec

SELECT format('CREATE ROLE %I', :'api_role')
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'api_role') \gexec
ALTER ROLE :"api_role" WITH LOGIN PASSWORD :'api_password'
    NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT;
GRANT x402_reader TO :"api_role";
-- Belt and braces: even a grant made by mistake later cannot make the API write.
ALTER ROLE :"api_role" IN DATABASE :"database" SET default_transaction_read_only = on;

-- Nobody else may connect to or create in this database.
REVOKE ALL ON DATABASE :"database" FROM PUBLIC;
-- TEMPORARY: the worker's commits stage changed projection rows in a temporary table.
GRANT CONNECT, TEMPORARY ON DATABASE :"database" TO :"worker_role";
GRANT CONNECT ON DATABASE :"database" TO :"api_role";

\connect :"database"
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE, CREATE ON SCHEMA public TO :"worker_role";
GRANT USAGE ON SCHEMA public TO x402_reader;
