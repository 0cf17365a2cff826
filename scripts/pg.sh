#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster under a folder of the checkout.
# Usage: scripts/pg.sh start|stop|env [DIR]   (default DIR: var/pg)
# `start` prints nothing but errors; `env` prints the PG* variables to eval.
set -euo pipefail
cmd=${1:-start}
top=$(cd "$(dirname "$0")/.." && pwd)
dir=${2:-$top/var/pg}
bin=/usr/lib/postgresql/15/bin
mkdir -p "$(dirname "$dir")"
# The server runs as postgres and listens on a socket in the folder: when
# postgres cannot reach the checkout (a root-only home) or the socket path
# would pass the 107-byte limit, the folder lives under /tmp and the
# checkout keeps a link to it.
if [ ! -e "$dir" ]; then
    mkdir -p "$dir"
    phys=$(cd "$dir" && pwd -P)
    if [ "$(id -u)" = 0 ] && { [ ${#phys} -gt 80 ] || ! runuser -u postgres -- test -x "$phys"; }; then
        rmdir "$dir"
        ln -s "$(mktemp -d /tmp/vocreport-pg.XXXXXX)" "$dir"
    fi
fi
dir=$(cd "$dir" && pwd -P)

as_pg() {
    if [ "$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

case $cmd in
start)
    if [ ! -f "$dir/data/PG_VERSION" ]; then
        [ "$(id -u)" = 0 ] && chown postgres: "$dir"
        as_pg "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 \
            || { cat "$dir/initdb.log" >&2; exit 1; }
    fi
    if ! as_pg "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
        as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
            -o "-k $dir -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=all" \
            start >/dev/null || { tail -20 "$dir/server.log" >&2; exit 1; }
    fi
    ;;
stop)
    as_pg "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    ;;
env)
    echo "export PGHOST='$dir' PGUSER=postgres PGPORT=5432"
    ;;
*)
    echo "usage: $0 start|stop|env [DIR]" >&2; exit 2 ;;
esac
