#!/usr/bin/env bash
# The demo, in one command: a private PostgreSQL, anvil on 127.0.0.1, the X402Workflow contract,
# the continuous workflow simulator, Indexer.Worker and Query.Api on http://localhost:${PORT:-3000}.
# Ctrl-C stops everything. Each run starts from an empty chain and an empty database.
#
# Settings (environment): PORT (API, default 3000), ANVIL_PORT (default 8545),
# DEMO_PG_PORT (default 55432), DEMO_DIR (default /tmp/x402-demo), DEMO_INTERVAL_MS (a block every N ms, default 1000);
# the API's CORS_ORIGINS (e.g. http://localhost:5173 for a frontend's dev server) and RATE_LIMIT_PER_MINUTE (default 600).
set -euo pipefail
cd "$(dirname "$0")/.."
source deploy/lib.sh

api_port=${PORT:-3000}
anvil_port=${ANVIL_PORT:-8545}
pg_port=${DEMO_PG_PORT:-55432}
demo_dir=${DEMO_DIR:-/tmp/x402-demo}
interval_ms=${DEMO_INTERVAL_MS:-1000}
rpc_url="http://127.0.0.1:${anvil_port}"
logs="$demo_dir/logs"
# Demo-only passwords, for a cluster that listens on 127.0.0.1 alone.
owner_url="postgresql://x402:x402-demo@127.0.0.1:${pg_port}/x402"
reader_url="postgresql://x402_api:x402-api-demo@127.0.0.1:${pg_port}/x402"

bash deploy/setup.sh
say "building (Release)…"
dotnet build X402.sln -c Release --verbosity quiet -nologo

pids=()
cleanup() {
  trap - EXIT INT TERM
  say "stopping…"
  ((${#pids[@]} > 0)) && kill "${pids[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
  stop_private_postgres "$demo_dir"
  say "stopped."
}
trap cleanup EXIT
trap 'exit 130' INT TERM

start_private_postgres "$demo_dir" "$pg_port"
recreate_database "$demo_dir" "$pg_port"

say "starting anvil on $rpc_url"
start_anvil "$anvil_port" "$logs/anvil.log"
pids+=("$anvil_pid")

say "deploying the contract and starting the simulator (a block every ${interval_ms} ms)"
deployment="$demo_dir/deployment.json"
: >"$deployment"
dotnet "$(bin_of deploy/Simulator)" --rpc-url "$rpc_url" --continuous --interval-ms "$interval_ms" --seed 42 \
  >"$deployment" 2>"$logs/simulator.log" &
pids+=($!)
until [[ -s "$deployment" ]]; do
  kill -0 "${pids[1]}" 2>/dev/null || { say "the simulator stopped: $(tail -n 3 "$logs/simulator.log")"; exit 1; }
  sleep 0.1
done
contract=$(sed -n 's/.*"contractAddress": *"\([^"]*\)".*/\1/p' "$deployment" | head -n 1)
deploy_block=$(sed -n 's/.*"deployBlock": *\([0-9]*\).*/\1/p' "$deployment" | head -n 1)
say "contract $contract deployed at block $deploy_block"

say "applying migrations"
DATABASE_URL=$owner_url dotnet "$(bin_of Migrations)" >"$logs/migrations.log"
psql_admin "$demo_dir" "$pg_port" -d x402 -c "DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'x402_api') THEN
    CREATE ROLE x402_api LOGIN PASSWORD 'x402-api-demo' IN ROLE x402_reader;
  END IF;
END \$\$;"

say "starting Indexer.Worker and Query.Api (logs in $logs)"
env -i PATH="$PATH" HOME="${HOME:-/root}" DOTNET_NOLOGO=1 \
  RPC_URL="$rpc_url" CHAIN_ID=31337 CONTRACT_ADDRESS="$contract" BLOCK_START="$deploy_block" \
  DATABASE_URL="$owner_url" CONFIRMATION_BLOCKS=3 POLL_INTERVAL_MS=500 \
  dotnet "$(bin_of Indexer.Worker)" >"$logs/worker.log" 2>&1 &
pids+=($!)
env -i PATH="$PATH" HOME="${HOME:-/root}" DOTNET_NOLOGO=1 \
  DATABASE_URL="$reader_url" HOST=127.0.0.1 PORT="$api_port" \
  CORS_ORIGINS="${CORS_ORIGINS:-}" RATE_LIMIT_PER_MINUTE="${RATE_LIMIT_PER_MINUTE:-600}" \
  dotnet "$(bin_of Query.Api)" >"$logs/api.log" 2>&1 &
pids+=($!)
until curl -sf "http://127.0.0.1:$api_port/health" >/dev/null; do
  kill -0 "${pids[3]}" 2>/dev/null || { say "the API stopped: $(tail -n 3 "$logs/api.log")"; exit 1; }
  sleep 0.2
done

cat >&2 <<TXT

  x402 Workflow Observer demo is running.
    Dashboard  http://localhost:$api_port/
    API        http://localhost:$api_port   (try /stats, /workflows, /status)
    anvil      $rpc_url (chain 31337), contract $contract
    PostgreSQL 127.0.0.1:$pg_port database x402 (worker: x402, API: x402_api, SELECT only)
    logs       $logs
  Ctrl-C stops everything.

TXT
tail -n 0 -F "$logs/worker.log" &
pids+=($!)
status=0
wait -n "${pids[@]:0:4}" || status=$?
# Ctrl-C reaches the children too: they end with 0 (the .NET processes stop gracefully) or 128 + the
# signal. Any other status is a real failure.
((status == 0 || status > 128)) && exit 130
say "a demo process exited on its own (status $status); see $logs"
exit 1
