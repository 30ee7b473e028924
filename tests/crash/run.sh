#!/usr/bin/env bash
# Crash safety under load: the service in Release on loopback, SIGKILLed while requests are in flight, restarted.
# Usage: tests/crash/run.sh [REQUESTS] [CONCURRENCY] [ROUNDS]        (defaults: 4000 32 3; DURABILITY=normal to opt out of FULL)
# Each round starts the service on the same database and POSTs REQUESTS example requests, CONCURRENCY at a time, each
# for a member of its own; the load client records the id and decision of every 201 and SIGKILLs the service once half
# of them are acknowledged. After the last round the service is started once more, then: every acknowledged
# authorization must be stored with the decision it was answered with and its audit entries, no row may be partial or
# orphaned, SQLite's integrity check must pass, and `mgauth replay` must find 0 differences. Ends with PASS or FAIL.
# A SIGKILL tests a crash of the process, not a power loss: in WAL mode a commit survives the former even with
# synchronous=NORMAL; FULL (the default) is what also covers the latter, which this script cannot cause.
set -euo pipefail
cd "$(dirname "$0")/../.."
requests=${1:-4000}
concurrency=${2:-32}
rounds=${3:-3}
durability=${DURABILITY:-full}
port=${MGAUTH_CRASH_PORT:-5098}
url="http://127.0.0.1:$port"

dotnet build -c Release src/MgAuth.Cli -v quiet -nologo >/dev/null
dotnet build -c Release tests/crash/MgAuth.Crash.csproj -v quiet -nologo >/dev/null
api=src/MgAuth.Api/bin/Release/net10.0/MgAuth.Api.dll
mgauth() { dotnet src/MgAuth.Cli/bin/Release/net10.0/mgauth.dll "$@"; }
crash() { dotnet tests/crash/bin/Release/net10.0/mgauth-crash.dll "$@"; }

work=$(mktemp -d)
server=""
cleanup() { if [ -n "$server" ]; then kill -9 "$server" 2>/dev/null || true; fi; rm -rf "$work"; }
trap cleanup EXIT
trap 'exit 1' INT TERM
db="$work/mgauth.db"
key=$(mgauth keys create --org crash-clinic --role provider --db "$db" | awk '/^secret:/{print $2}')

# The service runs in a subshell that notes its pid and, once it ends, its exit status (137 after a SIGKILL); the
# subshell's own stderr is dropped so bash's "Killed" notice does not interleave with the report.
start_service() {
  rm -f "$work/pid" "$work/exit"
  ( set +e
    ASPNETCORE_ENVIRONMENT=Production ConnectionStrings__MgAuth="Data Source=$db" Storage__Durability=$durability \
    RateLimiting__PermitsPerSecond=10000000 RateLimiting__Burst=10000000 Logging__LogLevel__Default=Warning \
    sh -c 'echo $$ >"$1"; shift; exec "$@"' sh "$work/pid" dotnet "$api" --urls "$url" >>"$work/server.log" 2>&1
    echo $? >"$work/exit" ) 2>/dev/null &
  until [ -s "$work/pid" ]; do sleep 0.1; done
  server=$(cat "$work/pid")
  local started=$SECONDS
  if ! crash ready --url "$url" --seconds 120; then
    echo "the service did not become ready; its log:"; tail -n 40 "$work/server.log"; echo FAIL; exit 1
  fi
  echo "$1: service ready in $((SECONDS - started)) s (pid $server)"
}

# The exit status of the service once it has ended.
service_exit() {
  for _ in $(seq 1 600); do [ -s "$work/exit" ] && break; sleep 0.1; done
  cat "$work/exit" 2>/dev/null || echo "unknown"
}

echo "machine: $(nproc) cores; $rounds round(s) of $requests requests, $concurrency at once, SIGKILL after $((requests / 2)) acknowledged; synchronous=$durability"
for round in $(seq 1 "$rounds"); do
  start_service "round $round"
  crash load --url "$url" --key "$key" --examples examples --requests "$requests" --concurrency "$concurrency" \
    --acked "$work/acked.txt" --kill-pid "$server" --kill-after $((requests / 2))
  code=$(service_exit)
  [ "$code" = 137 ] || { echo "round $round: the service ended with $code, not by SIGKILL (137)"; echo FAIL; exit 1; }
  server=""
done

start_service "restart"
status=0
crash check --db "$db" --acked "$work/acked.txt" || status=1
replay=$(mgauth replay --db "$db" 2>&1) || status=1
echo "replay: $(tail -n 1 <<<"$replay")"
grep "^DIFFERS" <<<"$replay" | head -n 20 || true
kill "$server"; service_exit >/dev/null; server=""
[ "$status" -eq 0 ] && echo PASS || echo FAIL
exit "$status"
