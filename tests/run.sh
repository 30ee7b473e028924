#!/usr/bin/env bash
# Every test of the solution, from a clean clone: builds warning-free (warnings are errors), then
# runs each test project and closes with one line: "N passed, N failed".
#
# The runs share no resource but the CPU (each test makes its own temporary folders, SQLite files, PostgreSQL
# databases and loopback ports, and reads the build output only), so up to MGAUTH_TEST_JOBS of them (2 unless set, one a core here: more starve the rule-pack worker past its 60 s limit;
# 1 runs them one after another) run at once, the longest first: the API tests on SQLite and on PostgreSQL side by
# side, the smaller projects beside them. Each run writes its own log; a run's lines (with its minutes) are printed when it ends.
set -euo pipefail
cd "$(dirname "$0")/.."

# The browser tests drive Debian's Chromium (never a downloaded browser): install it when missing.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }
# The identity-provider tests run the Node oidc-provider (tests/idp) on Debian's node: install nodejs and npm when
# missing, and the provider's one package (pinned in tests/idp/package-lock.json) when its node_modules is.
command -v node >/dev/null && command -v npm >/dev/null \
  || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm; }
[[ -d tests/idp/node_modules ]] || npm ci --prefix tests/idp --no-audit --no-fund --loglevel=error

dotnet build MgAuth.sln -c Release -nologo -v quiet

jobs=${MGAUTH_TEST_JOBS:-2}
[[ "$jobs" =~ ^[1-9][0-9]*$ ]] || { echo "MGAUTH_TEST_JOBS must be a whole number of at least 1, got '$jobs'" >&2; exit 2; }
logs=$(mktemp -d)

# A throwaway PostgreSQL cluster (Debian's postgresql, installed when missing) for the API tests' second run; removed
# on exit, after any run still going (an interrupted script) is stopped.
eval "$(tests/postgres/cluster.sh start)"
finish() {
  local job
  for job in $(jobs -p); do kill -- "-$job" 2>/dev/null || true; done
  wait 2>/dev/null || true
  tests/postgres/cluster.sh stop "$MGAUTH_TEST_POSTGRES_DIR"
  rm -rf "$logs"
}
trap finish EXIT

# The runs, longest first. The API tests run on both stores: all of them on SQLite, and on PostgreSQL
# (MGAUTH_TEST_STORAGE, see Support/TestStorage.cs) all but the classes in tests/postgres/left-out.txt, which test
# nothing of the store that the classes kept do not (tests/postgres/sql-coverage.sh checks every SQL statement the
# service sends is still sent on PostgreSQL).
api=tests/MgAuth.Api.Tests/MgAuth.Api.Tests.csproj
runs=("sqlite:$api" "postgres:$api")
postgres_filter=$({ grep -vE '^\s*(#|$)' tests/postgres/left-out.txt || true; } | awk '{printf "%sFullyQualifiedName!~MgAuth.Api.Tests.%s.", sep, $1; sep="&"}')
for project in tests/MgAuth.RulePacks.Tests/*.csproj tests/MgAuth.Cli.Tests/*.csproj tests/MgAuth.Browser.Tests/*.csproj tests/*.Tests/*.csproj; do
  case " ${runs[*]} " in *":$project "*) ;; *) runs+=("sqlite:$project") ;; esac
done

# Run i: its output in $logs/i.log, its exit code in $logs/i.code once it has ended. Each run is a job of its own
# (set -m: its own process group), so an interrupted script stops the whole run, test host and children included.
start() {
  local i=$1 storage=${runs[$1]%%:*} project=${runs[$1]#*:} code=0 filter=() began=$SECONDS
  [ "$storage" = postgres ] && [ -n "$postgres_filter" ] && filter=(--filter "$postgres_filter")
  MGAUTH_TEST_STORAGE=$storage dotnet test "$project" -c Release --no-build -nologo "${filter[@]}" </dev/null >"$logs/$i.log" 2>&1 || code=$?
  echo "$(( SECONDS - began ))" >"$logs/$i.seconds"
  echo "$code" >"$logs/$i.code"
}

status=0
report() {
  local i=$1 storage=${runs[$1]%%:*} project=${runs[$1]#*:}
  echo "== $project ($storage, $(( $(cat "$logs/$i.seconds") / 60 )) min $(( $(cat "$logs/$i.seconds") % 60 )) s)"
  if [ "$(cat "$logs/$i.code")" -eq 0 ]; then
    grep -E "^(Passed!|Failed!)" "$logs/$i.log" || true
  else
    status=1
    cat "$logs/$i.log"
  fi
}

set -m
pending=("${!runs[@]}")
running=()
while [ ${#pending[@]} -gt 0 ] || [ ${#running[@]} -gt 0 ]; do
  while [ ${#pending[@]} -gt 0 ] && [ ${#running[@]} -lt "$jobs" ]; do
    start "${pending[0]}" &
    running+=("${pending[0]}")
    pending=("${pending[@]:1}")
  done
  wait -n || true
  still=()
  for i in "${running[@]}"; do
    if [ -f "$logs/$i.code" ]; then report "$i"; else still+=("$i"); fi
  done
  running=("${still[@]+"${still[@]}"}")
done
wait
set +m

passed=$(cat "$logs"/*.log | grep -oE "Passed:\s+[0-9]+" | awk '{s+=$2} END {print s+0}')
failed=$(cat "$logs"/*.log | grep -oE "Failed:\s+[0-9]+" | awk '{s+=$2} END {print s+0}')
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$status" -eq 0 ]
