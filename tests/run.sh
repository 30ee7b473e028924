#!/usr/bin/env bash
# Every test of the solution, from a clean clone: builds warning-free (warnings are errors), then
# runs each test project and closes with one line: "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."

# The browser tests drive Debian's Chromium (never a downloaded browser): install it when missing.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

dotnet build MgAuth.sln -c Release -nologo -v quiet

# A throwaway PostgreSQL cluster (Debian's postgresql, installed when missing) for the API tests' second run; removed on exit.
eval "$(tests/postgres/cluster.sh start)"
trap 'tests/postgres/cluster.sh stop "$MGAUTH_TEST_POSTGRES_DIR"' EXIT

results=$(mktemp)
log=$(mktemp)
status=0
# The API tests run on both stores: SQLite, then PostgreSQL (MGAUTH_TEST_STORAGE, see Support/TestStorage.cs).
runs=()
for project in tests/*.Tests/*.csproj; do
  runs+=("sqlite:$project")
  [ "$project" = tests/MgAuth.Api.Tests/MgAuth.Api.Tests.csproj ] && runs+=("postgres:$project")
done
for run in "${runs[@]}"; do
  storage=${run%%:*} project=${run#*:}
  echo "== $project ($storage)"
  set +e
  MGAUTH_TEST_STORAGE=$storage dotnet test "$project" -c Release --no-build -nologo >"$log" 2>&1
  code=$?
  set -e
  cat "$log" >>"$results"
  if [ "$code" -eq 0 ]; then
    grep -E "^(Passed!|Failed!)" "$log" || true
  else
    status=1
    cat "$log"
  fi
done

passed=$(grep -oE "Passed:\s+[0-9]+" "$results" | awk '{s+=$2} END {print s+0}')
failed=$(grep -oE "Failed:\s+[0-9]+" "$results" | awk '{s+=$2} END {print s+0}')
rm -f "$results" "$log"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$status" -eq 0 ]
