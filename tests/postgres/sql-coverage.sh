#!/usr/bin/env bash
# Checks the PostgreSQL pass's selection (tests/postgres/left-out.txt): runs every API test on PostgreSQL with
# MGAUTH_TEST_SQL_LOG (Support/SqlStatementLog.cs: each distinct SQL text the service under test sent, with the test
# class that started that service), then lists the statements that only left-out classes send. Exit 0 and "every
# statement ... is sent by a class the PostgreSQL pass runs" when there are none.
#   tests/postgres/sql-coverage.sh            # a throwaway cluster, the whole API project on it (~25 min on 2 cores)
#   tests/postgres/sql-coverage.sh LOG.tsv    # only the check, on the log of an earlier run
# Statements of child processes (the CLI as a process, the replica and crash services) are not in the log.
set -euo pipefail
cd "$(dirname "$0")/../.."

log=${1:-}
if [ -z "$log" ]; then
  log=$(mktemp --suffix=.tsv)
  eval "$(tests/postgres/cluster.sh start)"
  trap 'tests/postgres/cluster.sh stop "$MGAUTH_TEST_POSTGRES_DIR"' EXIT
  MGAUTH_TEST_STORAGE=postgres MGAUTH_TEST_SQL_LOG=$log dotnet test tests/MgAuth.Api.Tests -c Release --no-build -nologo >&2 || true
fi

left_out=$({ grep -vE '^\s*(#|$)' tests/postgres/left-out.txt || true; } | awk '{print $1}')
# Statements by whether a kept class sends them. Lines of no test class are migrations (the template, a test's own
# database): every pass runs them.
awk -F'\t' -v left="$left_out" '
  BEGIN { n = split(left, names, "\n"); for (i = 1; i <= n; i++) out[names[i]] = 1 }
  $1 ~ /^\(/ { next }
  { if ($1 in out) only[$2] = only[$2] ? only[$2] : $1; else kept[$2] = 1; all[$2] = 1 }
  END {
    total = 0; missing = 0
    for (s in all) { total++; if (!(s in kept)) { missing++; printf "only in %s: %s\n", only[s], substr(s, 1, 300) } }
    if (missing) { printf "%d of %d statements are sent only by left-out classes\n", missing, total; exit 1 }
    printf "every statement (%d) is sent by a class the PostgreSQL pass runs\n", total
  }' "$log"
