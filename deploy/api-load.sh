#!/usr/bin/env bash
# Query.Api under load: builds a synthetic event log (by default 274,400 workflows, about 1M
# chain_event rows, as the worker writes them: mixed statuses, jsonb payloads, projection rows and
# checkpoint), starts Query.Api on it and runs wrk against: the first page, a page deep into the list by
# offset and by keyset cursor, each filter and a combination, /workflows/{id} for random real ids, /stats
# (plain and filtered), /stats/timeline and /status. Prints one table: URL, requests/s, p50, p99, errors
# (socket errors, timeouts and non-2xx answers). Then holds 1,000 idle GET /stream clients open and
# prints the API's resident memory before and with them, and the first page's latency meanwhile.
#
# usage: bash deploy/api-load.sh [WORKFLOWS]       (default 274400)
# Settings (environment): API_LOAD_DIR (/tmp/x402-api-bench), API_LOAD_PG_PORT (55491),
# API_LOAD_PORT (47613), API_LOAD_CONNECTIONS (64), API_LOAD_THREADS (2), API_LOAD_DURATION (8s),
# API_LOAD_REUSE_DB=1 keeps the database of the previous run when it holds WORKFLOWS workflows,
# API_LOAD_SHARED_BUFFERS (2GB: the database fits; PostgreSQL's default 128MB does not),
# API_LOAD_API_DLL and API_LOAD_MIGRATIONS_DLL run other builds of Query.Api and Migrations (e.g. older
# ones, for a before/after table).
# Query.Api's own settings (DB_POOL_SIZE, CACHE_SIZE_MB, …) pass through from the environment;
# RATE_LIMIT_PER_MINUTE is 0 (no limit) unless set.
set -euo pipefail
cd "$(dirname "$0")/.."
source deploy/lib.sh

workflows=${1:-274400}
dir=${API_LOAD_DIR:-/tmp/x402-api-bench}
pg_port=${API_LOAD_PG_PORT:-55491}
api_port=${API_LOAD_PORT:-47613}
connections=${API_LOAD_CONNECTIONS:-64}
threads=${API_LOAD_THREADS:-2}
duration=${API_LOAD_DURATION:-8s}
owner_url="postgresql://x402:x402-demo@127.0.0.1:$pg_port/x402"
api="http://127.0.0.1:$api_port"

command -v wrk >/dev/null || { say "wrk is missing: apt-get install -y wrk"; exit 1; }
[[ -n ${API_LOAD_API_DLL:-} ]] || dotnet build X402.sln -c Release --verbosity quiet -nologo >/dev/null
api_dll=${API_LOAD_API_DLL:-$(bin_of Query.Api)}
migrations_dll=${API_LOAD_MIGRATIONS_DLL:-$(bin_of Migrations)}

api_pid=
cleanup() {
  [[ -n $api_pid ]] && kill "$api_pid" 2>/dev/null
  wait 2>/dev/null || true
  stop_private_postgres "$dir"
}
trap cleanup EXIT

start_private_postgres "$dir" "$pg_port"
size_shared_buffers "$dir" "$pg_port" "${API_LOAD_SHARED_BUFFERS:-2GB}"
stored=$(psql_admin "$dir" "$pg_port" -d x402 -tAc "SELECT count(*) FROM workflow_state" 2>/dev/null || echo 0)
if [[ ${API_LOAD_REUSE_DB:-0} == 1 && $stored == "$workflows" ]]; then
  say "reusing the database of the previous run ($stored workflows)"
  DATABASE_URL=$owner_url dotnet "$migrations_dll" >/dev/null
  psql_admin "$dir" "$pg_port" -d x402 -c "VACUUM ANALYZE workflow_state"
else
  recreate_database "$dir" "$pg_port"
  DATABASE_URL=$owner_url dotnet "$migrations_dll" >/dev/null
  say "writing $workflows synthetic workflows…"
  started=$(date +%s)
  PGPASSWORD=x402-demo psql -h 127.0.0.1 -p "$pg_port" -U x402 -d x402 -v ON_ERROR_STOP=1 -q \
    -v workflows="$workflows" -f deploy/api-load.sql
  say "written in $(($(date +%s) - started)) s: $(psql_admin "$dir" "$pg_port" -d x402 -tAc \
    "SELECT count(*) || ' events, ' || (SELECT count(*) FROM workflow_state) || ' workflows' FROM chain_event")"
fi

psql_admin "$dir" "$pg_port" -d x402 -tAc "SELECT workflow_id FROM workflow_state" >"$dir/ids.txt"
# As on a server that has been answering for a while: the tables and indexes in shared buffers.
psql_admin "$dir" "$pg_port" -d x402 -tAc "CREATE EXTENSION IF NOT EXISTS pg_prewarm;
  SELECT sum(pg_prewarm(c.oid)) FROM pg_class c WHERE c.relname IN ('chain_event', 'workflow_state') OR c.oid IN (
    SELECT indexrelid FROM pg_index WHERE indrelid IN ('chain_event'::regclass, 'workflow_state'::regclass))" >/dev/null
deep_offset=$((workflows * 98 / 100))
query() { psql_admin "$dir" "$pg_port" -d x402 -tAc "$1"; }
initiator=$(query "SELECT initiator FROM workflow_state WHERE initiator IS NOT NULL ORDER BY workflow_id LIMIT 1")
payee=$(query "SELECT settlements -> 0 ->> 'to' FROM workflow_state WHERE jsonb_array_length(settlements) > 0 ORDER BY workflow_id LIMIT 1")
read -r started_from started_to < <(query "SELECT (min(started_at) + max(started_at)) / 2, (min(started_at) + max(started_at)) / 2 + 3600 FROM workflow_state" | tr '|' ' ')

# wrk sends everything from 127.0.0.1: no rate limit unless asked for, since this measures the API's raw speed.
DATABASE_URL=$owner_url HOST=127.0.0.1 PORT=$api_port RATE_LIMIT_PER_MINUTE=${RATE_LIMIT_PER_MINUTE:-0} \
  dotnet "$api_dll" >"$dir/logs/api.log" 2>&1 &
api_pid=$!
until curl -sf "$api/health" >/dev/null; do
  kill -0 "$api_pid" 2>/dev/null || { say "Query.Api did not start: $(tail -n 5 "$dir/logs/api.log")"; exit 1; }
  sleep 0.2
done

cat >"$dir/report.lua" <<'LUA'
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %.0f %.2f %.2f %d\n", summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, e.connect + e.read + e.write + e.status + e.timeout))
end
LUA
cat "$dir/report.lua" >"$dir/random-id.lua"
cat >>"$dir/random-id.lua" <<LUA
-- Every thread, and every run, draws its own sequence: no id is more likely to be asked twice than chance makes it.
local threads = 0
setup = function(thread) threads = threads + 1; thread:set("thread_number", threads) end
init = function(args)
  ids = {}
  for line in io.lines("$dir/ids.txt") do ids[#ids + 1] = line end
  -- One wrk.format, split around the id: formatting each request cost wrk CPU the API then lacked.
  local template = wrk.format("GET", "/workflows/{id}")
  local at = template:find("{id}", 1, true)
  before_id, after_id = template:sub(1, at - 1), template:sub(at + 4)
  math.randomseed(os.time() * 1000 + thread_number)
end
request = function() return before_id .. ids[math.random(#ids)] .. after_id end
LUA

run() {
  local label=$1 script=$2 path=$3 result
  # A warm-up first (tiered JIT, connection pool, prepared statements), not measured.
  wrk -t "$threads" -c "$connections" -d 5s -s "$script" "$api$path" >/dev/null
  result=$(wrk -t "$threads" -c "$connections" -d "$duration" --timeout 2s -s "$script" "$api$path" | sed -n 's/^RESULT //p')
  read -r rps p50 p99 errors <<<"$result"
  printf '| %-36s | %10s | %8s | %8s | %6s |\n' "$label" "$rps" "$p50" "$p99" "$errors"
}

echo "Query.Api under wrk: $workflows workflows, $connections connections, $threads threads, $duration per URL; $(nproc) cores shared by wrk, Query.Api and PostgreSQL"
printf '| %-36s | %10s | %8s | %8s | %6s |\n' URL requests/s "p50 ms" "p99 ms" errors
printf '|%s|%s|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..38})" "$(printf -- '-%.0s' {1..12})" "$(printf -- '-%.0s' {1..10})" "$(printf -- '-%.0s' {1..10})" "$(printf -- '-%.0s' {1..8})"
run "/workflows?limit=100" "$dir/report.lua" "/workflows?limit=100"
run "/workflows?limit=100&offset=$deep_offset" "$dir/report.lua" "/workflows?limit=100&offset=$deep_offset"
run "/workflows/{random id}" "$dir/random-id.lua" "/"
# The keyset page as deep as the offset one: the cursor the deep offset page links to.
deep_cursor=$(curl -sfD - -o /dev/null "$api/workflows?limit=100&offset=$deep_offset" | sed -n 's/^[Ll]ink: <\([^>]*\)>.*/\1/p' | tr -d '\r')
run "/workflows?limit=100&cursor=(deep)" "$dir/report.lua" "$deep_cursor"
run "/workflows?status=failed" "$dir/report.lua" "/workflows?limit=100&status=failed"
run "/workflows?initiator=…" "$dir/report.lua" "/workflows?limit=100&initiator=$initiator"
run "/workflows?payee=…" "$dir/report.lua" "/workflows?limit=100&payee=$payee"
run "/workflows?startedFrom=…&startedTo=…" "$dir/report.lua" "/workflows?limit=100&startedFrom=$started_from&startedTo=$started_to"
run "/workflows?status=completed&payee=…" "$dir/report.lua" "/workflows?limit=100&status=completed&payee=$payee"
run "/stats" "$dir/report.lua" "/stats"
run "/stats?status=failed&initiator=…" "$dir/report.lua" "/stats?status=failed&initiator=$initiator"
run "/stats/timeline?bucket=hour" "$dir/report.lua" "/stats/timeline?bucket=hour"
run "/status" "$dir/report.lua" "/status"

# 1,000 idle streams (STREAM_MAX_CLIENTS' default): wrk opens them and they stay open, answering nothing
# but keep-alives, while the first page is measured again.
rss() { awk '/^VmRSS/ { printf "%.0f MB", $2 / 1024 }' "/proc/$api_pid/status"; }
before=$(rss)
# wrk needs a descriptor per connection: raise the soft limit as far as the hard one allows.
ulimit -n "$(ulimit -Hn)"
wrk -t 2 -c 1000 -d 40s --timeout 60s "$api/stream" >/dev/null 2>&1 &
streams_pid=$!
until [[ $(ss -Htn state established "( dport = :$api_port )" | wc -l) -ge 1000 ]]; do sleep 0.2; done
sleep 2
with_streams=$(rss)
run "/workflows?limit=100 (1,000 streams open)" "$dir/report.lua" "/workflows?limit=100"
echo "Query.Api resident memory: $before before, $with_streams with 1,000 idle /stream clients, $(rss) after the load beside them"
kill "$streams_pid" 2>/dev/null || true
