#!/usr/bin/env bash
# Local devnet: anvil on 127.0.0.1:${ANVIL_PORT:-8545} (chain id 31337), the X402Workflow contract
# deployed and driven by the simulator (arguments are passed through to it, e.g.
#   deploy/devnet.sh --workflows 300 --seed 42      or      deploy/devnet.sh --continuous).
# anvil stays up in the foreground until Ctrl-C.
set -euo pipefail

deploy_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
port="${ANVIL_PORT:-8545}"
rpc_url="http://127.0.0.1:${port}"
anvil="${deploy_dir}/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil"

if [[ ! -e "${anvil}" ]]; then
  npm ci --prefix "${deploy_dir}" --no-audit --no-fund >&2
fi
# npm skips install scripts here, so the binary may arrive without its run bit.
chmod +x "${anvil}"

"${anvil}" --host 127.0.0.1 --port "${port}" --chain-id 31337 --silent &
anvil_pid=$!
simulator_pid=""
trap 'kill ${simulator_pid} "${anvil_pid}" 2>/dev/null || true' EXIT
trap 'exit 130' INT TERM

until curl -sf -H 'content-type: application/json' \
  --data '{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}' "${rpc_url}" >/dev/null; do
  kill -0 "${anvil_pid}" 2>/dev/null || { echo "devnet: anvil did not start on ${rpc_url}" >&2; exit 1; }
  sleep 0.1
done

# Built apart so build output stays off stdout, which carries the simulator's JSON summary.
dotnet build "${deploy_dir}/Simulator" --verbosity quiet >&2
# In the background so that a signal to this script (not only Ctrl-C) stops it as well.
dotnet run --no-build --project "${deploy_dir}/Simulator" -- --rpc-url "${rpc_url}" "$@" &
simulator_pid=$!
wait "${simulator_pid}"
simulator_pid=""

echo "devnet: anvil is serving ${rpc_url}; Ctrl-C stops it." >&2
wait "${anvil_pid}"
