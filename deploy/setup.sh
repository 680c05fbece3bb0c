#!/usr/bin/env bash
# Installs what the demo and the tests need on a fresh Debian 12 machine. Safe to run again:
# it only installs what is missing. Tests run their own private PostgreSQL clusters from the
# installed binaries, so Debian's cluster 15/main is neither needed nor started.
set -euo pipefail
cd "$(dirname "$0")/.."

fail() { echo "setup.sh: $*" >&2; exit 1; }

anvil=deploy/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil
lock=deploy/package-lock.json

missing=()
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
command -v wrk >/dev/null || missing+=(wrk) # the benchmark's HTTP load generator
command -v clang >/dev/null || missing+=(clang) # links the worker compiled to native code (test.sh, bench.sh)
[[ -f /usr/include/zlib.h ]] || missing+=(zlib1g-dev) # the native worker links zlib
[[ -n ${CHROMIUM_PATH:-} || -x /usr/bin/chromium ]] || missing+=(chromium) # the dashboard's browser tests
[[ -x /usr/sbin/nginx ]] || missing+=(nginx) # the load-balancer test
command -v systemd-analyze >/dev/null || missing+=(systemd) # the systemd units' check
[[ -n ${PROMETHEUS_PATH:-} || -x /usr/bin/prometheus ]] || missing+=(prometheus) # the metrics test scrapes with a real one

if ((${#missing[@]} > 0)); then
  [[ $(id -u) -eq 0 ]] || fail "missing ${missing[*]}: run as root or install ${missing[*]} manually"
  grep -qs '^ID=debian' /etc/os-release || fail "missing ${missing[*]}: this installer knows Debian only; install ${missing[*]} manually"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  apt-get install -y "${missing[@]}"
fi

# deploy/package.json: anvil and solc, openapi-typescript and tsc for the OpenAPI client test, and
# kubernetes-models and yaml for the Kubernetes manifests' schema check (kubectl comes with the image).
[[ -f $lock ]] || fail "$lock is missing: lock deploy/package.json's dependencies first (npm install --prefix deploy)"
if [[ ! -d deploy/node_modules || $lock -nt deploy/node_modules ]]; then
  npm ci --prefix deploy --no-audit --no-fund
  touch deploy/node_modules # so that the next run sees it up to date with the lock file
fi

[[ -f $anvil ]] || fail "$anvil is missing after npm ci: deploy/package.json must depend on @foundry-rs/anvil"
# npm 11 skips install scripts, so the binary may arrive without its run bit.
chmod +x "$anvil"
