# Shared by demo.sh and bench.sh: a private PostgreSQL cluster and a local anvil, both on 127.0.0.1.
# Source it; it defines functions only.

say() { echo "${0##*/}: $*" >&2; }

# Release builds' entry points.
bin_of() { echo "$1/bin/Release/net10.0/$(basename "$1").dll"; }

pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)

# PostgreSQL refuses to run as root; as root, its tools run as the postgres user.
as_postgres() { if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }

# start_private_postgres DIR PORT: a cluster in DIR/pg (created on first use), password auth on
# 127.0.0.1 only, superuser postgres with the demo-only password x402-demo.
start_private_postgres() {
  local dir=$1 port=$2
  mkdir -p "$dir/logs"
  [[ $(id -u) -eq 0 ]] && chown postgres "$dir" "$dir/logs"
  if [[ ! -f "$dir/pg/PG_VERSION" ]]; then
    say "creating a private PostgreSQL cluster in $dir/pg"
    local pwfile
    pwfile=$(mktemp) && echo "x402-demo" >"$pwfile" && chmod 644 "$pwfile"
    as_postgres "$pg_bin/initdb" -D "$dir/pg" -U postgres --pwfile="$pwfile" --auth-host=scram-sha-256 --auth-local=trust >/dev/null
    rm -f "$pwfile"
  fi
  as_postgres "$pg_bin/pg_ctl" -D "$dir/pg" -l "$dir/logs/postgres.log" -w \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1" start >/dev/null ||
    { say "PostgreSQL did not start: $(grep -E 'FATAL|HINT' "$dir/logs/postgres.log" | tail -n 2)"; return 1; }
}

# size_shared_buffers DIR PORT SIZE: shared_buffers as a production server for the database would have it
# (initdb's default is 128MB, which a 1M-event database outgrows); restarts the cluster when it changes.
size_shared_buffers() {
  local dir=$1 port=$2 size=$3
  [[ $(psql_admin "$dir" "$port" -d postgres -tAc "SHOW shared_buffers") == "$size" ]] && return
  psql_admin "$dir" "$port" -d postgres -c "ALTER SYSTEM SET shared_buffers = '$size'"
  stop_private_postgres "$dir"
  start_private_postgres "$dir" "$port"
}

stop_private_postgres() { as_postgres "$pg_bin/pg_ctl" -D "$1/pg" -m fast stop >/dev/null 2>&1 || true; }

# reserve_huge_pages DIR: as root, reserves (vm.nr_hugepages) the huge pages the stopped cluster's shared memory
# needs, so that it starts in them (huge_pages=try is PostgreSQL's default), as PostgreSQL's documentation advises
# for a large shared_buffers on Linux: each backend then maps shared_buffers with a page-table entry per 2 MB
# instead of per 4 kB, and a new connection does not fault its pages in one by one. release_huge_pages gives
# back what it reserved. Without root, or where the kernel reserves fewer, PostgreSQL starts on normal pages.
huge_pages_before=""
reserve_huge_pages() {
  local needed
  [[ $(id -u) -eq 0 && -w /proc/sys/vm/nr_hugepages ]] || return 0
  needed=$(as_postgres "$pg_bin/postgres" -D "$1/pg" -C shared_memory_size_in_huge_pages 2>/dev/null) || return 0
  # -1 where the platform has no huge pages.
  [[ $needed =~ ^[0-9]+$ ]] && ((needed > 0)) || return 0
  huge_pages_before=$(cat /proc/sys/vm/nr_hugepages)
  echo $((huge_pages_before + needed)) >/proc/sys/vm/nr_hugepages 2>/dev/null || true
  say "reserved $(($(cat /proc/sys/vm/nr_hugepages) - huge_pages_before)) of the $needed huge pages PostgreSQL's shared memory takes"
}

release_huge_pages() { [[ -z $huge_pages_before ]] || echo "$huge_pages_before" >/proc/sys/vm/nr_hugepages 2>/dev/null || true; }

# psql_admin DIR PORT [psql args]: psql as the cluster's superuser over its unix socket.
psql_admin() {
  local dir=$1 port=$2
  shift 2
  PGOPTIONS='-c client_min_messages=warning' as_postgres psql -h "$dir" -p "$port" -U postgres -v ON_ERROR_STOP=1 -q "$@"
}

# recreate_database DIR PORT: an empty database x402 owned by login role x402 (password x402-demo).
# x402_reader is made here by the superuser, so the migrations (run as x402, without CREATEROLE) only grant to it.
recreate_database() {
  psql_admin "$1" "$2" -d postgres <<'SQL'
DROP DATABASE IF EXISTS x402 WITH (FORCE);
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'x402') THEN CREATE ROLE x402 LOGIN PASSWORD 'x402-demo'; END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'x402_reader') THEN CREATE ROLE x402_reader NOLOGIN; END IF;
END $$;
CREATE DATABASE x402 OWNER x402;
SQL
}

# start_anvil PORT LOGFILE [anvil args]: anvil on 127.0.0.1:PORT in the background (its pid in $anvil_pid), ready when it returns.
start_anvil() {
  local port=$1 log=$2
  shift 2
  deploy/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil --host 127.0.0.1 --port "$port" --chain-id 31337 --silent "$@" >"$log" 2>&1 &
  anvil_pid=$!
  until curl -sf -H 'content-type: application/json' \
    --data '{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}' "http://127.0.0.1:$port" >/dev/null; do
    kill -0 "$anvil_pid" 2>/dev/null || { say "anvil did not start on port $port (busy?)"; return 1; }
    sleep 0.1
  done
}
