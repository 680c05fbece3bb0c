#!/usr/bin/env bash
# The benchmark command: builds each scenario's chain on a private anvil (simulator bulk mode), then
# measures in one run the eth_getLogs sweep and COPY ceilings, the worker's catch-up, replay, live
# latency and the API under wrk, checks every database against the expected result, and prints one
# table per scenario (also written to $BENCH_RESULTS.md and .json). Exits non-zero on any mismatch.
#
# usage: bash deploy/bench.sh [SCENARIO...]   (tiny, dense-100k, dense-1m, sparse, sparse-200k; default dense-100k sparse)
# Settings (environment): BENCH_DIR (default /tmp/x402-bench: PostgreSQL cluster, logs, chain cache in cache/),
# BENCH_PG_PORT (55439), BENCH_SHARED_BUFFERS (2GB: the cluster sized for a 1M-event database), BENCH_HUGE_PAGES (on:
# as root, its shared memory in huge pages reserved for the run, see reserve_huge_pages in lib.sh; off: normal pages),
# BENCH_RESULTS (default $BENCH_DIR/results), BENCH_CACHE (default $BENCH_DIR/cache; "off" rebuilds every chain).
set -euo pipefail
cd "$(dirname "$0")/.."
source deploy/lib.sh

dir=${BENCH_DIR:-/tmp/x402-bench}
pg_port=${BENCH_PG_PORT:-55439}
results=${BENCH_RESULTS:-$dir/results}
cache=${BENCH_CACHE:-$dir/cache}
scenarios=("$@")
((${#scenarios[@]} > 0)) || scenarios=(dense-100k sparse)

bash deploy/setup.sh
dotnet build X402.sln -c Release --verbosity quiet -nologo >/dev/null
# The worker and the API run as an operator installs them: the worker compiled to native code (its project
# does that for any dotnet publish -r, see Indexer.Worker.csproj), the API ReadyToRun (no JIT at start-up).
published=$dir/published
rm -rf "$published"
dotnet publish Indexer.Worker -c Release -r linux-x64 -o "$published/Indexer.Worker" --verbosity quiet -nologo >/dev/null
dotnet publish Query.Api -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true \
  -o "$published/Query.Api" --verbosity quiet -nologo >/dev/null

trap 'stop_private_postgres "$dir"; release_huge_pages' EXIT
start_private_postgres "$dir" "$pg_port"
size_shared_buffers "$dir" "$pg_port" "${BENCH_SHARED_BUFFERS:-2GB}"
if [[ ${BENCH_HUGE_PAGES:-on} == on ]]; then
  stop_private_postgres "$dir"
  reserve_huge_pages "$dir"
  start_private_postgres "$dir" "$pg_port"
fi

arguments=(--database-url "postgresql://postgres:x402-demo@127.0.0.1:$pg_port/postgres" --results "$results" --published "$published")
[[ $cache == off ]] || arguments+=(--cache-dir "$cache")
for scenario in "${scenarios[@]}"; do arguments+=(--scenario "$scenario"); done
dotnet "$(bin_of deploy/Benchmark)" "${arguments[@]}"
