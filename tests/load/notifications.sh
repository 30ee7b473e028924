#!/usr/bin/env bash
# How long a pended case's final answer takes to reach a PAS subscriber: the service (Release) on a throwaway SQLite
# database, a receiver on loopback (python3's http.server), N pended cases approved one after another by a clinician.
# Prints the delay from the determination's answer to the notification's arrival: min, median, max (ms).
# Usage: tests/load/notifications.sh [N] [POLL_SECONDS]   (needs python3, jq, curl)
set -euo pipefail
cd "$(dirname "$0")/../.."
n=${1:-20}
poll=${2:-1}
dotnet build -c Release src/MgAuth.Cli -v quiet -nologo >/dev/null
dotnet build -c Release src/MgAuth.Api -v quiet -nologo >/dev/null
work=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"' EXIT
db="$work/mgauth.db"
mgauth() { dotnet src/MgAuth.Cli/bin/Release/net10.0/mgauth.dll "$@"; }
secret() { awk '/^secret:/{print $2}'; }
provider=$(mgauth keys create --org measure-clinic --role provider --name "measure portal" --db "$db" | secret)
clinician=$(mgauth keys create --org plan --role clinician --name "measure clinician" --npi 1003000126 --person measure-clinician --db "$db" | secret)

# The receiver: each POST's arrival time (epoch seconds) and body, one line each.
cat >"$work/receiver.py" <<'PY'
import http.server, sys, time
class Hook(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"])).decode()
        with open(sys.argv[2], "a") as log: log.write(f"{time.time():.6f} {body}\n")
        self.send_response(200); self.end_headers()
    def log_message(self, *args): pass
http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), Hook).serve_forever()
PY
python3 "$work/receiver.py" 5299 "$work/received.txt" & pids+=($!)

ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning ConnectionStrings__MgAuth="Data Source=$db" \
  Subscriptions__AllowPrivateEndpoints=true Subscriptions__PollSeconds="$poll" \
  dotnet src/MgAuth.Api/bin/Release/net10.0/MgAuth.Api.dll --urls http://127.0.0.1:5298 >"$work/server.log" 2>&1 & pids+=($!)
for _ in $(seq 1 120); do curl -sf http://127.0.0.1:5298/health/ready >/dev/null && break; sleep 0.5; done
api() { curl -sS --fail-with-body -H "Authorization: Bearer $1" "${@:2}"; }

api "$provider" http://127.0.0.1:5298/fhir/Subscription -H 'Content-Type: application/fhir+json' -d '{"resourceType": "Subscription",
  "status": "requested", "reason": "latency measurement", "criteria": "http://hl7.org/fhir/us/davinci-pas/SubscriptionTopic/PASSubscriptionTopic",
  "channel": {"type": "rest-hook", "endpoint": "http://127.0.0.1:5299/hook", "payload": "application/fhir+json"}}' >/dev/null
for _ in $(seq 1 100); do [ -s "$work/received.txt" ] && break; sleep 0.1; done   # the handshake

for i in $(seq 1 "$n"); do
  case=$(jq --arg m "M-NOTIFY-$i" '.member.id = $m' examples/over-ceiling.json \
    | api "$provider" http://127.0.0.1:5298/v1/authorizations -H 'Content-Type: application/json' --data-binary @- | jq -r .authorizationId)
  etag=$(curl -sf -D - -o /dev/null -H "Authorization: Bearer $clinician" "http://127.0.0.1:5298/v1/authorizations/$case" | awk -F': ' 'tolower($1)=="etag"{print $2}' | tr -d '\r')
  api "$clinician" "http://127.0.0.1:5298/v1/authorizations/$case/determination" -H 'Content-Type: application/json' -H "If-Match: $etag" \
    -d '{"action": "approve", "rationale": "Criteria met on review."}' >/dev/null
  answered=$(date +%s.%N)
  until grep -q "\"$case\"" "$work/received.txt"; do sleep 0.01; done
  arrived=$(grep "\"$case\"" "$work/received.txt" | head -1 | awk '{print $1}')
  awk -v a="$arrived" -v d="$answered" 'BEGIN{printf "%.0f\n", (a - d) * 1000}' >>"$work/delays.txt"
done
sort -n "$work/delays.txt" | awk -v poll="$poll" '{v[NR]=$1} END {printf "notifications=%d poll_s=%s delay_ms min=%d median=%d max=%d\n", NR, poll, v[1], v[int((NR+1)/2)], v[NR]}'
