#!/usr/bin/env bash
# Benchmark: generate N customers with M survey responses (and their orders
# and feedback), run the nightly job, print wall time, peak RSS and the time
# PostgreSQL spent in the job's queries.
# Usage: bench/run.sh [--customers 200000] [--responses 1000000] [--seed 1]
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
customers=200000 responses=1000000 seed=1
while [ $# -gt 0 ]; do
    case $1 in
    --customers) customers=$2; shift 2 ;;
    --responses) responses=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    *) echo "usage: $0 [--customers N] [--responses N] [--seed S]" >&2; exit 2 ;;
    esac
done
command -v /usr/bin/time >/dev/null || { apt-get install -y -qq time >/dev/null 2>&1 || true; }
build=$(scripts/setup.sh)
scripts/pg.sh start
eval "$(scripts/pg.sh env)"
export PGDATABASE=vocreport_bench PGTZ=Europe/Berlin
dropdb --if-exists "$PGDATABASE" 2>/dev/null
createdb "$PGDATABASE"
as_of=$(date +%Y-%m-01)
gen_start=$(date +%s.%N)
scripts/demo-data.sh --db "$PGDATABASE" --seed "$seed" --customers "$customers" --responses "$responses"
gen_end=$(date +%s.%N)

cfg=var/bench.ini
sed 's/^max_rejected_share = .*/max_rejected_share = 0.05/' config/vocreport.ini > "$cfg"
export VOCREPORT_OUTPUT_DIR="$top/var/bench-reports"
"$build/vocreport" init-db --config "$cfg" >/dev/null
psql -XAtq -c "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" -c "SELECT pg_stat_statements_reset()" >/dev/null
/usr/bin/time -f '%e %M' -o var/bench.time "$build/vocreport" run --config "$cfg" --job nightly --as-of "$as_of" >/dev/null 2>var/bench.log \
    || { cat var/bench.log; exit 1; }
read -r wall rss_kb < var/bench.time
client_db=$(psql -XAtq -c "SELECT round(db_seconds::numeric, 2) FROM vocreport.runs ORDER BY run_id DESC LIMIT 1")
server_db=$(psql -XAtq -c "SELECT round((sum(total_exec_time) / 1000)::numeric, 2) FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = current_database() AND s.query NOT ILIKE '%pg_stat_statements%'")
printf 'bench: customers=%s responses=%s rows: %s\n' "$customers" "$responses" \
    "$(psql -XAtq -c "SELECT source_rows FROM vocreport.runs ORDER BY run_id DESC LIMIT 1")"
awk -v a="$gen_start" -v b="$gen_end" 'BEGIN { printf "bench: data generation %.1f s\n", b - a }'
printf 'bench: job wall time %s s, peak RSS %.1f MiB, PostgreSQL %s s (waiting on the server, client side) / %s s (executing, pg_stat_statements)\n' \
    "$wall" "$(awk -v k="$rss_kb" 'BEGIN { print k / 1024 }')" "$client_db" "$server_db"
