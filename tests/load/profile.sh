#!/usr/bin/env bash
# CPU profile of the Release service under wrk, grouped by the steps of a request (README, Performance).
# Usage: tests/load/profile.sh [PATH] [SECONDS] [WARMUP_SECONDS] [CONNECTIONS]
#   PATH: /v1/evaluate (default) or /v1/authorizations (stored, SQLite WAL synchronous=NORMAL).
# Needs wrk and dotnet-trace (dotnet tool install -g dotnet-trace). Samples managed stacks at ~100 Hz
# (dotnet-trace's dotnet-sampled-thread-time profile: the kernel cpu-sampling profile needs collect-linux and root)
# for SECONDS after WARMUP_SECONDS of wrk (30 s: less leaves methods being tiered up), then summarises the trace
# offline with `dotnet-trace report topN --inclusive` and prints each step's share of the request-processing samples.
# A step's frames are matched by name below; steps overlap where one calls another (decide holds facts and session).
set -euo pipefail
cd "$(dirname "$0")/../.."
target=${1:-/v1/evaluate}
seconds=${2:-15}
warmup=${3:-30}
connections=${4:-16}
trace_tool=$(command -v dotnet-trace || echo "$HOME/.dotnet/tools/dotnet-trace")
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
[ -x "$trace_tool" ] || { echo "dotnet-trace is missing: dotnet tool install -g dotnet-trace" >&2; exit 1; }

dotnet build -c Release src/MgAuth.Cli -v quiet -nologo >/dev/null
dotnet build -c Release src/MgAuth.Api -v quiet -nologo >/dev/null
work=$(mktemp -d)
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

export EXAMPLES="$PWD/examples" TARGET_PATH=$target
export Storage__Provider=sqlite ConnectionStrings__MgAuth="Data Source=$work/mgauth.db" Storage__Durability=normal
MGAUTH_KEY=$(dotnet src/MgAuth.Cli/bin/Release/net10.0/mgauth.dll keys create --org load --role provider --db "$work/mgauth.db" | awk '/^secret:/{print $2}')
export MGAUTH_KEY
ASPNETCORE_ENVIRONMENT=Production RateLimiting__PermitsPerSecond=10000000 RateLimiting__Burst=10000000 \
  Logging__LogLevel__Default=Warning dotnet src/MgAuth.Api/bin/Release/net10.0/MgAuth.Api.dll --urls http://127.0.0.1:5098 \
  >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 120); do curl -sf http://127.0.0.1:5098/health/ready >/dev/null && break; sleep 0.5; done

wrk -t1 -c"$connections" -d"${warmup}s" -s tests/load/submit.lua http://127.0.0.1:5098 >/dev/null 2>&1
# Bytes allocated per request: the runtime's allocation counter on /metrics around the measured window, over wrk's requests.
# The sample may carry labels (otel_scope_name): the value is the first field after them.
allocated() {
  curl -sf http://127.0.0.1:5098/metrics | awk '/^(dotnet_gc_heap_total_allocated|process_runtime_dotnet_gc_allocations_size)[a-z_]*[{ ]/ {
    line = $0; sub(/^[^{ ]*(\{[^}]*\})? /, "", line); split(line, v, " "); sum += v[1] } END { printf "%.0f", sum }'
}
allocated_before=$(allocated)
wrk -t1 -c"$connections" -d"$((seconds + 4))s" --latency -s tests/load/submit.lua http://127.0.0.1:5098 >"$work/wrk.txt" 2>&1 &
load=$!
sleep 1
cpu_before=$(awk '{print $14 + $15}' "/proc/$server/stat")
"$trace_tool" collect -p "$server" --profile dotnet-sampled-thread-time --duration "00:00:00:$seconds" -o "$work/service.nettrace" >/dev/null
cpu_after=$(awk '{print $14 + $15}' "/proc/$server/stat")
wait "$load"
allocated_after=$(allocated)
requests=$(awk '/requests in/{print $1}' "$work/wrk.txt")
echo "allocated per request: $(awk -v a="$allocated_before" -v b="$allocated_after" -v n="$requests" 'BEGIN{printf "%.0f bytes (%d requests)", (b - a) / n, n}')"
rps=$(awk '/Requests\/sec/{print $2}' "$work/wrk.txt")
echo "$target: requests_per_s=$rps service_cpu_s=$(( (cpu_after - cpu_before) / $(getconf CLK_TCK) )) over ${seconds}s traced; load: $(uptime | sed 's/.*load/load/')"
grep -E "Non-2xx|Socket errors|unexpected" "$work/wrk.txt" || true

"$trace_tool" report "$work/service.nettrace" topN -n 3000 --inclusive >"$work/top.txt"
[ -n "${PROFILE_KEEP:-}" ] && cp "$work/service.nettrace" "$work/top.txt" "$PROFILE_KEEP"/
# Each step: the largest inclusive share among the frames its pattern names (async methods show as Type+<Method>d__N),
# as a share of the endpoint's (the handler's) samples. The profile samples threads, waiting ones too: the endpoint's
# share of all samples is printed first; the middleware before it (authentication, rate limits) is listed as its own line.
awk '
  function step(name, pattern) { order[++n] = name; patterns[name] = pattern }
  BEGIN {
    step("endpoint (the handler, all of it)", "AuthorizationsApi[+.]<?(EvaluateAsync|SubmitAsync)");
    step("request pipeline (middleware and endpoint)", "HostFilteringMiddleware.Invoke");
    step("body read", "RequestBody[+.]<?(JsonAsync|ReadJsonAsync|ReadExactlyAsync|ReadChunkedAsync)");
    step("read and validate", "RequestReader.Read");
    step("history query", "AuthorizationStore[+.]<?PriorAsync");
    step("  connection open + PRAGMAs", "Database[+.]<?OpenSqliteAsync");
    step("decide (facts, session, trace, derive)", "Decider.Decide");
    step("  facts", "FactBuilder.Build");
    step("  session create", "SessionFactory.CreateSession");
    step("  insert", "Session.Insert");
    step("  fire", "Session.Fire");
    step("  trace", "Decider.ToTraceEntry");
    step("  derive", "DecisionDeriver.Derive");
    step("store the case", "AuthorizationStore[+.]<?InsertAsync");
    step("audit row", "EvaluationAudit[+.]<?RecordAsync");
    step("writer (group commit, its own thread)", "SqliteWriter[+.]<?CommitAsync");
    step("serialize the answer", "WriteAsJsonAsync|StoredDecisionResult[+.]<?ExecuteAsync");
    step("serialize (decision JSON for the store)", "JsonSerializer.Serialize");
    step("provider view", "ProviderView.Of");
    step("spans (Activity, OpenTelemetry)", "HostingApplicationDiagnostics.StartActivity|ActivitySource.StartActivity|Activity.Stop|OpenTelemetry");
    step("metrics", "RecordMeasurement|MgAuthTelemetry.Decided");
    step("GC suspension (PollGC)", "PollGC");
  }
  # topN lines: "<rank>. <method, cut at 70 characters> <inclusive>% <exclusive>%".
  NR > 1 {
    inclusive = $(NF - 1); sub(/%$/, "", inclusive)
    for (k = 1; k <= n; k++) { name = order[k]; if ($0 ~ patterns[name] && inclusive + 0 > best[name] + 0) best[name] = inclusive }
  }
  END {
    root = best[order[1]] + 0
    printf "%-45s %5.1f %% of all thread samples\n", order[1], root
    for (k = 2; k <= n; k++) printf "%-45s %5.1f %%\n", order[k], (root > 0 ? 100 * best[order[k]] / root : 0)
  }
' "$work/top.txt"
