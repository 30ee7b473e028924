#!/usr/bin/env bash
# Back to back: this checkout against another revision (the retired engine is 8480d33), alternating the two builds
# round by round so that the machine's drift lands on both.
# Usage: tests/load/versus.sh REVISION [ROUNDS] [SECONDS] [CONNECTIONS]   (needs wrk: apt-get install -y wrk)
#   WARMUP=30 (seconds of load before each measured window; with less, methods still being tiered up cost both builds)
# Per round and build it prints `mgauth bench`'s last line and, for each SQLite scenario (evaluate, stored with
# Storage:Durability=normal, stored durable), requests/s, p50 and p99 from wrk and the service's CPU per request
# (user+system time from /proc over the measured window, divided by the requests served). It closes with the median
# of each figure per build and the ratio this checkout / REVISION.
set -euo pipefail
cd "$(dirname "$0")/../.."
revision=${1:?usage: tests/load/versus.sh REVISION [ROUNDS] [SECONDS] [CONNECTIONS]}
rounds=${2:-3}
seconds=${3:-15}
connections=${4:-16}
warmup=${WARMUP:-30}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }

work=$(mktemp -d)
server=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null || true
  git worktree remove --force "$work/other" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

git worktree add --detach -q "$work/other" "$revision"
declare -A root=([this]="$PWD" [other]="$work/other")
for build in this other; do
  for project in src/MgAuth.Cli src/MgAuth.Api; do
    dotnet build -c Release "${root[$build]}/$project" -v quiet -nologo >/dev/null
  done
done
export EXAMPLES="$PWD/examples"
results="$work/results.txt"

mgauth() { local build=$1; shift; dotnet "${root[$build]}/src/MgAuth.Cli/bin/Release/net10.0/mgauth.dll" "$@"; }

# cpu_ticks PID: the process's user + system time so far, in clock ticks.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

scenario() {
  local build=$1 round=$2 name=$3 durability=$4 path=$5
  rm -f "$work"/mgauth.db*
  export Storage__Provider=sqlite ConnectionStrings__MgAuth="Data Source=$work/mgauth.db" Storage__Durability=$durability
  MGAUTH_KEY=$(mgauth "$build" keys create --org load --role provider --db "$work/mgauth.db" | awk '/^secret:/{print $2}')
  export MGAUTH_KEY TARGET_PATH=$path
  (cd "${root[$build]}" && ASPNETCORE_ENVIRONMENT=Production RateLimiting__PermitsPerSecond=10000000 RateLimiting__Burst=10000000 \
    Logging__LogLevel__Default=Warning exec dotnet src/MgAuth.Api/bin/Release/net10.0/MgAuth.Api.dll --urls http://127.0.0.1:5098 \
    >"$work/server.log" 2>&1) &
  server=$!
  for _ in $(seq 1 120); do curl -sf http://127.0.0.1:5098/health/ready >/dev/null && break; sleep 0.5; done
  curl -sf http://127.0.0.1:5098/health/ready >/dev/null || { echo "the $build service did not start:" >&2; cat "$work/server.log" >&2; exit 1; }
  wrk -t1 -c"$connections" -d"${warmup}s" -s tests/load/submit.lua http://127.0.0.1:5098 >/dev/null 2>&1
  kill -0 "$server" 2>/dev/null || { echo "the $build service stopped under load:" >&2; tail -n 40 "$work/server.log" >&2; exit 1; }
  local before after
  before=$(cpu_ticks "$server")
  wrk -t1 -c"$connections" -d"${seconds}s" --latency -s tests/load/submit.lua http://127.0.0.1:5098 >"$work/wrk.txt" 2>&1
  after=$(cpu_ticks "$server")
  kill "$server"; wait "$server" 2>/dev/null || true; server=""
  grep -E "Non-2xx|Socket errors" "$work/wrk.txt" >&2 || true
  awk -v build="$build" -v round="$round" -v name="$name" -v ticks=$((after - before)) -v hz="$(getconf CLK_TCK)" '
    /Requests\/sec/ {rps = $2} $1 == "50%" {p50 = $2} $1 == "99%" {p99 = $2} /requests in/ {n = $1}
    END {printf "%s round=%s %s requests_per_s=%.0f p50=%s p99=%s cpu_us_per_request=%.0f\n", build, round, name, rps, p50, p99, ticks * 1e6 / hz / n}' \
    "$work/wrk.txt" | tee -a "$results"
}

echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); this checkout ($(git rev-parse --short HEAD)) against $revision; $rounds rounds, ${warmup}s warm-up, ${seconds}s measured, $connections connections"
for round in $(seq 1 "$rounds"); do
  for build in other this; do
    echo "$build round=$round bench $(cd "${root[$build]}" && mgauth "$build" bench --seconds 5 | tail -n 1)" | tee -a "$results"
    scenario "$build" "$round" evaluate normal /v1/evaluate
    scenario "$build" "$round" stored_normal normal /v1/authorizations
    scenario "$build" "$round" stored_full full /v1/authorizations
  done
done

# Medians per build and figure, and the ratio this / other.
echo "medians over $rounds rounds (load now $(cut -d' ' -f1-3 /proc/loadavg)):"
python3 - "$results" <<'EOF'
import re, statistics, sys
values = {}
for line in open(sys.argv[1]):
    build, _, name, *pairs = line.split()
    for key, value in (p.split("=", 1) for p in pairs):
        number = float(re.sub(r"[a-z]+$", "", value))
        unit = re.search(r"[a-z]+$", value)
        if unit and unit.group() == "ms": number *= 1000
        if unit and unit.group() == "s" and key in ("p50", "p99"): number *= 1e6
        values.setdefault((name, key), {}).setdefault(build, []).append(number)
for (name, key), builds in values.items():
    unit = "us" if key in ("p50", "p99") else ""
    median = {b: f"{statistics.median(v):10.1f}{unit:2}" if v else "       n/a  " for b, v in ((b, builds.get(b)) for b in ("other", "this"))}
    ratio = f"{statistics.median(builds['this']) / statistics.median(builds['other']):.2f}" if "this" in builds and "other" in builds else "n/a"
    print(f"{name:14} {key:28} other={median['other']} this={median['this']} this/other={ratio}")
EOF
