#!/usr/bin/env bash
# Measures the core figures on a fresh local chain: events indexed, time for Indexer.Worker to
# catch up from block 0, the time of a plain eth_getLogs sweep of the same range (the floor), and
# the replay time and rate of `Indexer.Worker replay`.
#
# usage: bash deploy/measure.sh [WORKFLOWS]     (default 2000; seeded, so runs are comparable)
# Settings (environment): MEASURE_DIR (default /tmp/x402-measure), MEASURE_PG_PORT (55433), MEASURE_ANVIL_PORT (8546).
set -euo pipefail
cd "$(dirname "$0")/.."
source deploy/lib.sh

workflows=${1:-2000}
dir=${MEASURE_DIR:-/tmp/x402-measure}
pg_port=${MEASURE_PG_PORT:-55433}
anvil_port=${MEASURE_ANVIL_PORT:-8546}
rpc_url="http://127.0.0.1:$anvil_port"
owner_url="postgresql://x402:x402-demo@127.0.0.1:$pg_port/x402"
range=2000

bash deploy/setup.sh
dotnet build X402.sln -c Release --verbosity quiet -nologo >/dev/null

worker_pid=
cleanup() {
  [[ -n $worker_pid ]] && kill "$worker_pid" 2>/dev/null
  [[ -n ${anvil_pid:-} ]] && kill "$anvil_pid" 2>/dev/null
  wait 2>/dev/null || true
  stop_private_postgres "$dir"
}
trap cleanup EXIT

start_private_postgres "$dir" "$pg_port"
recreate_database "$dir" "$pg_port"
start_anvil "$anvil_port" "$dir/logs/anvil.log"
rpc() { curl -sf -H 'content-type: application/json' --data "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"$1\",\"params\":$2}" "$rpc_url"; }
now() { date +%s.%N; }
seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

say "simulating $workflows workflows…"
summary=$(dotnet "$(bin_of deploy/Simulator)" --rpc-url "$rpc_url" --workflows "$workflows" --seed 42 --per-block 10)
contract=$(sed -n 's/.*"contractAddress": *"\([^"]*\)".*/\1/p' <<<"$summary" | head -n 1)
last_block=$(sed -n 's/.*"lastBlock": *\([0-9]*\).*/\1/p' <<<"$summary" | head -n 1)
rpc anvil_mine '["0x3"]' >/dev/null

DATABASE_URL=$owner_url dotnet "$(bin_of Migrations)" >/dev/null

say "sweeping eth_getLogs over blocks 0..$last_block in $range-block requests (the floor)…"
sweep_start=$(now)
for ((from = 0; from <= last_block; from += range)); do
  to=$((from + range - 1 < last_block ? from + range - 1 : last_block))
  rpc eth_getLogs "[{\"address\":\"$contract\",\"fromBlock\":\"$(printf '0x%x' "$from")\",\"toBlock\":\"$(printf '0x%x' "$to")\"}]" >/dev/null
done
sweep_end=$(now)

say "indexing from block 0…"
export RPC_URL=$rpc_url CHAIN_ID=31337 CONTRACT_ADDRESS=$contract BLOCK_START=0 DATABASE_URL=$owner_url \
  CONFIRMATION_BLOCKS=3 MAX_BLOCK_RANGE=$range POLL_INTERVAL_MS=50
index_start=$(now)
dotnet "$(bin_of Indexer.Worker)" >"$dir/logs/worker.log" 2>&1 &
worker_pid=$!
query() { psql_admin "$dir" "$pg_port" -d x402 -Atc "$1"; }
until [[ $(query "SELECT coalesce((SELECT last_block FROM sync_checkpoint), -1)") -ge $last_block ]]; do
  kill -0 "$worker_pid" 2>/dev/null || { say "the worker stopped: $(tail -n 3 "$dir/logs/worker.log")"; exit 1; }
  sleep 0.05
done
index_end=$(now)
kill "$worker_pid" && wait "$worker_pid" 2>/dev/null || true
worker_pid=
events=$(query "SELECT count(*) FROM chain_event")

replay=$(dotnet "$(bin_of Indexer.Worker)" replay | grep -o 'Replay done: .*')

cat <<TXT
workflows simulated          $workflows (seed 42), blocks 0..$last_block
events indexed               $events
eth_getLogs sweep (floor)    $(seconds "$sweep_start" "$sweep_end") s
catch-up from block 0        $(seconds "$index_start" "$index_end") s (process start to checkpoint at block $last_block, replay of the empty log included)
replay                       ${replay#Replay done: }
TXT
