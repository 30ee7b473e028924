#!/usr/bin/env bash
# Load benchmark: the service in Release on loopback, driven by wrk with the example requests.
# Usage: tests/load/run.sh [SECONDS] [CONNECTIONS]   (needs wrk: apt-get install -y wrk)
# Prints one summary line per scenario: stored (WAL, synchronous=NORMAL), stored durable
# (synchronous=FULL: every commit waits for the disk), and evaluate (decided, not stored).
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-20}
connections=${2:-16}
port=5099
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }

dotnet build -c Release src/MgAuth.Cli -v quiet -nologo >/dev/null
work=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
export EXAMPLES="$PWD/examples"
server=""

run_scenario() {
  local name=$1 durability=$2 path=$3
  rm -f "$work"/mgauth.db*
  export MGAUTH_KEY=$(dotnet src/MgAuth.Cli/bin/Release/net10.0/mgauth.dll keys create --org load --role provider --db "$work/mgauth.db" | awk '/^secret:/{print $2}')
  ASPNETCORE_ENVIRONMENT=Production ConnectionStrings__MgAuth="Data Source=$work/mgauth.db" Storage__Durability=$durability \
    RateLimiting__PermitsPerSecond=10000000 RateLimiting__Burst=10000000 Logging__LogLevel__Default=Warning \
    dotnet src/MgAuth.Api/bin/Release/net10.0/MgAuth.Api.dll --urls "http://127.0.0.1:$port" >"$work/server.log" 2>&1 &
  server=$!
  for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null && break; sleep 0.5; done
  TARGET_PATH=$path wrk -t1 -c"$connections" -d5s -s tests/load/submit.lua "http://127.0.0.1:$port" >/dev/null 2>&1   # warm up
  TARGET_PATH=$path wrk -t1 -c"$connections" -d"${seconds}s" --latency -s tests/load/submit.lua "http://127.0.0.1:$port" >"$work/wrk.txt" 2>&1
  local rps p50 p99 stored
  rps=$(awk '/Requests\/sec/{print $2}' "$work/wrk.txt")
  p50=$(awk '$1=="50%"{print $2}' "$work/wrk.txt")
  p99=$(awk '$1=="99%"{print $2}' "$work/wrk.txt")
  stored=$(dotnet src/MgAuth.Cli/bin/Release/net10.0/mgauth.dll replay --db "$work/mgauth.db" 2>/dev/null | tail -n 1 | awk '{print $2}') || true
  grep -E "Non-2xx|Socket errors|unexpected" "$work/wrk.txt" || true
  printf '%-34s requests_per_s=%s p50=%s p99=%s stored_decisions=%s\n' "$name" "$rps" "$p50" "$p99" "${stored:-0}"
  kill $server; wait $server 2>/dev/null || true
}

echo "machine: $(nproc) cores, $(lscpu | awk -F: '/Model name/{gsub(/^ +/,"",$2); print $2}'), ${seconds}s per scenario, $connections connections"
run_scenario "POST /v1/authorizations (WAL)" normal /v1/authorizations
run_scenario "POST /v1/authorizations (FULL)" full /v1/authorizations
run_scenario "POST /v1/evaluate (not stored)" normal /v1/evaluate
