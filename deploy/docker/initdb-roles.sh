#!/bin/sh
# Runs once, when the postgres container creates its cluster: the roles of deploy/sql/roles.sql,
# with passwords from the same secret files the programs read.
set -eu
worker_password=$(sed -n 's|^postgresql://[^:]*:\([^@]*\)@.*|\1|p' /run/secrets/worker_database_url)
api_password=$(sed -n 's|^postgresql://[^:]*:\([^@]*\)@.*|\1|p' /run/secrets/api_database_url)
psql -v ON_ERROR_STOP=1 -U postgres -d x402 -f /docker-entrypoint-initdb.d/roles.sql.template \
  -v database=x402 -v worker_role=x402_worker -v "worker_password=$worker_password" \
  -v api_role=x402_api -v "api_password=$api_password"
