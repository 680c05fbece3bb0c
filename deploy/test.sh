#!/usr/bin/env bash
# The test command: installs prerequisites, builds the solution (Release) and the native worker, runs every test project,
# and ends with one line "N passed, N failed" (", N skipped" when some were).
# Extra arguments go to dotnet test, e.g.: bash deploy/test.sh --filter FullyQualifiedName~TestSupport
set -euo pipefail
cd "$(dirname "$0")/.."

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
log=TestResults/test.log
mkdir -p TestResults

bash deploy/setup.sh

if ! dotnet build X402.sln -c Release 2>&1 | tee "$log"; then
  echo "build failed (see $log)" >&2
  exit 1
fi

# The tests start the worker as it is installed: compiled to native code (see Indexer.Worker.csproj).
worker=Indexer.Worker/bin/Release/native
rm -rf "$worker"
if ! dotnet publish Indexer.Worker -c Release -r linux-x64 -o "$worker" 2>&1 | tee -a "$log"; then
  echo "publishing the native worker failed (see $log)" >&2
  exit 1
fi
export X402_WORKER_EXECUTABLE=$PWD/$worker/Indexer.Worker

# A hung test must not hang CI forever: the hang timeout kills the test host and reports it.
set +e
dotnet test X402.sln -c Release --no-build --logger "console;verbosity=minimal" \
  --blame-hang-timeout 15m --blame-hang-dump-type none "$@" 2>&1 | tee -a "$log"
test_status=${PIPESTATUS[0]}
set -e

# dotnet test prints one line per test project, e.g.
#   Passed!  - Failed:     0, Passed:    12, Skipped:     0, Total:    12, Duration: 3 s - X.Tests.dll (net10.0)
read -r found passed failed skipped < <(sed 's/\x1b\[[0-9;]*m//g' "$log" | awk '
  /(Passed|Failed)! +- +Failed: / {
    found++
    for (i = 1; i < NF; i++) {
      if ($i == "Failed:") failed += $(i + 1)
      if ($i == "Passed:") passed += $(i + 1)
      if ($i == "Skipped:") skipped += $(i + 1)
    }
  }
  END { print found + 0, passed + 0, failed + 0, skipped + 0 }')

if ((found == 0)); then
  echo "no test results found in $log" >&2
  exit 1
fi

summary="$passed passed, $failed failed"
((skipped > 0)) && summary+=", $skipped skipped"
echo "$summary"
((test_status == 0 && failed == 0))
