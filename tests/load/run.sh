#!/usr/bin/env bash
# Load benchmark: the service in Release on loopback, driven by wrk with the example requests.
# Usage: tests/load/run.sh [SECONDS] [CONNECTIONS] [SCENARIO...]   (needs wrk: apt-get install -y wrk; and Debian's postgresql)
# SCENARIO: sqlite-wal, sqlite-full, evaluate, postgres-1, postgres-2 (default: all of them, in that order). The services
# listen from port MGAUTH_LOAD_PORT (5099) up.
# Prints one summary line per scenario:
#   SQLite: stored (WAL, synchronous=NORMAL), stored durable (synchronous=FULL: every commit waits for the disk),
#           and evaluate (decided, not stored);
#   PostgreSQL (a throwaway cluster with its default durability: fsync and synchronous_commit on):
#           stored through one replica, and through two replicas on the same database (one wrk per replica,
#           half the connections each, requests/s summed, the worse p50/p99 of the two).
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-20}
connections=${2:-16}
scenarios=("${@:3}")
[ ${#scenarios[@]} -eq 0 ] && scenarios=(sqlite-wal sqlite-full evaluate postgres-1 postgres-2)
for s in "${scenarios[@]}"; do
  case $s in sqlite-wal|sqlite-full|evaluate|postgres-1|postgres-2) ;; *) echo "unknown scenario '$s'" >&2; exit 2 ;; esac
done
wanted() { [[ " ${scenarios[*]} " == *" $1 "* ]]; }
base_port=${MGAUTH_LOAD_PORT:-5099}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }

dotnet build -c Release src/MgAuth.Cli -v quiet -nologo >/dev/null
dotnet build -c Release src/MgAuth.Api -v quiet -nologo >/dev/null
work=$(mktemp -d)
servers=()
pg_dir=""
cleanup() {
  for s in "${servers[@]}"; do kill "$s" 2>/dev/null || true; done
  [ -n "$pg_dir" ] && tests/postgres/cluster.sh stop "$pg_dir"
  rm -rf "$work"
}
trap cleanup EXIT
export EXAMPLES="$PWD/examples"
mgauth() { dotnet src/MgAuth.Cli/bin/Release/net10.0/mgauth.dll "$@"; }

# start_server PORT: the service on the store the environment names (Storage__Provider, ConnectionStrings__MgAuth).
start_server() {
  local port=$1
  ASPNETCORE_ENVIRONMENT=Production RateLimiting__PermitsPerSecond=10000000 RateLimiting__Burst=10000000 \
    Logging__LogLevel__Default=Warning dotnet src/MgAuth.Api/bin/Release/net10.0/MgAuth.Api.dll --urls "http://127.0.0.1:$port" \
    >"$work/server-$port.log" 2>&1 &
  servers+=($!)
  for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null && return; sleep 0.5; done
  echo "the service on port $port did not start:" >&2; cat "$work/server-$port.log" >&2; exit 1
}

stop_servers() {
  for s in "${servers[@]}"; do kill "$s" 2>/dev/null || true; wait "$s" 2>/dev/null || true; done
  servers=()
}

# drive NAME PATH PORT...: warm up, then one wrk per port at once (the connections shared out); prints the summary.
drive() {
  local name=$1 path=$2; shift 2
  local ports=("$@") per=$((connections / $#)) loads=()
  # Wait for the wrk runs only: a bare `wait` would wait for the servers too.
  for port in "${ports[@]}"; do
    TARGET_PATH=$path wrk -t1 -c"$per" -d5s -s tests/load/submit.lua "http://127.0.0.1:$port" >/dev/null 2>&1 &
    loads+=($!)
  done
  wait "${loads[@]}"
  loads=()
  for port in "${ports[@]}"; do
    TARGET_PATH=$path wrk -t1 -c"$per" -d"${seconds}s" --latency -s tests/load/submit.lua "http://127.0.0.1:$port" >"$work/wrk-$port.txt" 2>&1 &
    loads+=($!)
  done
  wait "${loads[@]}"
  local rps=0 p50="" p99=""
  for port in "${ports[@]}"; do
    rps=$(awk -v sum="$rps" '/Requests\/sec/{printf "%.2f", sum + $2}' "$work/wrk-$port.txt")
    p50=$(worse "$p50" "$(awk '$1=="50%"{print $2}' "$work/wrk-$port.txt")")
    p99=$(worse "$p99" "$(awk '$1=="99%"{print $2}' "$work/wrk-$port.txt")")
    grep -E "Non-2xx|Socket errors|unexpected" "$work/wrk-$port.txt" || true
  done
  local stored
  stored=$(mgauth replay ${DB_ARG:-} 2>/dev/null | tail -n 1 | awk '{print $2}') || true
  printf '%-52s requests_per_s=%s p50=%s p99=%s stored_decisions=%s\n' "$name" "$rps" "$p50" "$p99" "${stored:-0}"
}

# worse A B: the larger of two wrk latencies (e.g. 850.00us, 12.3ms, 1.02s), as wrk printed it.
worse() {
  [ -z "$1" ] && { echo "$2"; return; }
  local a b
  a=$(echo "$1" | awk '{v=$1+0; if ($1 ~ /us$/) v/=1000; else if ($1 ~ /[^m]s$/) v*=1000; print v}')
  b=$(echo "$2" | awk '{v=$1+0; if ($1 ~ /us$/) v/=1000; else if ($1 ~ /[^m]s$/) v*=1000; print v}')
  awk -v a="$a" -v b="$b" -v x="$1" -v y="$2" 'BEGIN{print (b > a) ? y : x}'
}

sqlite_scenario() {
  local name=$1 durability=$2 path=$3
  rm -f "$work"/mgauth.db*
  export Storage__Provider=sqlite ConnectionStrings__MgAuth="Data Source=$work/mgauth.db" Storage__Durability=$durability DB_ARG="--db $work/mgauth.db"
  MGAUTH_KEY=$(mgauth keys create --org load --role provider --db "$work/mgauth.db" | awk '/^secret:/{print $2}')
  export MGAUTH_KEY
  start_server "$base_port"
  drive "$name" "$path" "$base_port"
  stop_servers
}

postgres_scenario() {
  local name=$1 replicas=$2 database="load_$RANDOM"
  runuser -u postgres -- psql -q -h 127.0.0.1 -p "$pg_port" -d postgres -c "CREATE DATABASE $database" >/dev/null
  export Storage__Provider=postgres ConnectionStrings__MgAuth="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=$database" DB_ARG=""
  unset Storage__Durability
  MGAUTH_KEY=$(mgauth keys create --org load --role provider | awk '/^secret:/{print $2}')
  export MGAUTH_KEY
  local ports=()
  for i in $(seq 1 "$replicas"); do start_server $((base_port + i)); ports+=($((base_port + i))); done
  drive "$name" /v1/authorizations "${ports[@]}"
  stop_servers
}

echo "machine: $(nproc) cores, $(lscpu | awk -F: '/Model name/{gsub(/^ +/,"",$2); print $2}'), ${seconds}s per scenario, $connections connections"
if wanted sqlite-wal; then sqlite_scenario "POST /v1/authorizations (SQLite, WAL)" normal /v1/authorizations; fi
if wanted sqlite-full; then sqlite_scenario "POST /v1/authorizations (SQLite, FULL)" full /v1/authorizations; fi
if wanted evaluate; then sqlite_scenario "POST /v1/evaluate (SQLite, not stored)" normal /v1/evaluate; fi

if wanted postgres-1 || wanted postgres-2; then
  eval "$(tests/postgres/cluster.sh start --durable)"
  pg_dir=$MGAUTH_TEST_POSTGRES_DIR
  pg_port=$(echo "$MGAUTH_TEST_POSTGRES" | sed -E 's/.*Port=([0-9]+).*/\1/')
  if wanted postgres-1; then postgres_scenario "POST /v1/authorizations (PostgreSQL, 1 replica)" 1; fi
  if wanted postgres-2; then postgres_scenario "POST /v1/authorizations (PostgreSQL, 2 replicas)" 2; fi
fi
