#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests, in a temporary folder, run by the `postgres` user on a free port.
#   eval "$(tests/postgres/cluster.sh start)"   # installs Debian's postgresql when missing; prints the exports:
#                                               # (start --durable keeps fsync and synchronous_commit on: for load figures)
#                                               # MGAUTH_TEST_POSTGRES (an Npgsql connection string) and MGAUTH_TEST_POSTGRES_DIR
#   tests/postgres/cluster.sh stop "$MGAUTH_TEST_POSTGRES_DIR"   # stops it and removes the folder
set -euo pipefail

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }

case "${1:-}" in
  start)
    if [ -z "$(pg_bin)" ]; then
      apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
    fi
    bin=$(pg_bin)
    # The tests need no durability (fsync off: faster); load figures do (--durable: the server's defaults).
    durability="-c fsync=off -c synchronous_commit=off"
    [ "${2:-}" = --durable ] && durability=
    dir=$(mktemp -d /tmp/mgauth-pg.XXXXXX)
    chown postgres "$dir"
    runuser -u postgres -- "$bin/initdb" -D "$dir/data" -A trust -U postgres --no-sync -E UTF8 >/dev/null
    # A free port: try random ones until the server starts on one (it refuses a port in use).
    for _ in $(seq 1 20); do
      port=$((20000 + RANDOM % 20000))
      if runuser -u postgres -- "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
          -o "-p $port -k $dir -c listen_addresses=127.0.0.1 $durability -c max_connections=200" \
          start >/dev/null; then
        echo "export MGAUTH_TEST_POSTGRES='Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres' MGAUTH_TEST_POSTGRES_DIR='$dir'"
        exit 0
      fi
    done
    echo "could not start PostgreSQL; see $dir/server.log" >&2
    exit 1
    ;;
  stop)
    dir=${2:?the cluster folder}
    runuser -u postgres -- "$(pg_bin)/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start | stop DIR" >&2
    exit 2
    ;;
esac
