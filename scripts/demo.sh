#!/usr/bin/env bash
# One command from a fresh clone to a published report:
# installs and builds, starts a throwaway PostgreSQL under var/pg, loads a
# demo data set, runs the nightly job and prints where the reports are.
# Usage: scripts/demo.sh [--customers N] [--responses N] [--seed S] [--locale en_US|zh_CN]
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
customers=20000 responses=100000 seed=42 locale=en_US
while [ $# -gt 0 ]; do
    case $1 in
    --customers) customers=$2; shift 2 ;;
    --responses) responses=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --locale) locale=$2; shift 2 ;;
    *) echo "usage: $0 [--customers N] [--responses N] [--seed S] [--locale en_US|zh_CN]" >&2; exit 2 ;;
    esac
done
build=$(scripts/setup.sh)
scripts/pg.sh start
eval "$(scripts/pg.sh env)"
export PGDATABASE=vocreport_demo
dropdb --if-exists "$PGDATABASE" 2>/dev/null || true
createdb "$PGDATABASE"
PGTZ=Europe/Berlin scripts/demo-data.sh --db "$PGDATABASE" --seed "$seed" --customers "$customers" --responses "$responses"

config=var/demo.ini
sed "s/^locale = .*/locale = $locale/" config/vocreport.ini > "$config"
export VOCREPORT_OUTPUT_DIR="$top/var/reports"
"$build/vocreport" init-db --config "$config"
"$build/vocreport" run --config "$config" --job nightly
echo
echo "Reports are in $VOCREPORT_OUTPUT_DIR/nightly/ ; the database stays up:"
echo "  eval \"\$(scripts/pg.sh env)\"; psql -d $PGDATABASE -c 'table vocreport.runs'"
echo "Stop it with: scripts/pg.sh stop"
