#!/usr/bin/env bash
# One command from a fresh clone to a published report with a history:
# installs and builds, starts a throwaway PostgreSQL under var/pg, loads a
# demo data set (30 months), then runs the nightly job the way months of
# nights would have: a run in the month a retention experiment enrolled
# its customers, runs for the three months before this one (backfills with
# --as-of), and today's, whose experiment has reached its evaluation.  So
# the first briefing shows trends, ranked findings and a VoC ROI with its
# interval; the same job in the other locale is published beside it.
# Usage: scripts/demo.sh [--customers N] [--responses N] [--seed S] [--locale en_US|zh_CN]
# VOCREPORT_DEMO_DIR (default var/) holds the cluster, the config and the
# reports, so a test can run the demo beside a developer's own.
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
case $locale in
en_US) other=zh_CN ;;
zh_CN) other=en_US ;;
*) echo "demo: --locale must be en_US or zh_CN, got '$locale'" >&2; exit 2 ;;
esac
build=$(scripts/setup.sh)
var=${VOCREPORT_DEMO_DIR:-$top/var}
mkdir -p "$var"
scripts/pg.sh start "$var/pg"
eval "$(scripts/pg.sh env "$var/pg")"
export PGDATABASE=vocreport_demo
dropdb --if-exists "$PGDATABASE" 2>/dev/null || true
createdb "$PGDATABASE"
export PGTZ=Europe/Berlin # the job's time zone: "today" is the job's today
scripts/demo-data.sh --db "$PGDATABASE" --seed "$seed" --customers "$customers" --responses "$responses"

# Dates in the job's time zone.  The experiment starts on the first of the
# month eight months ago: 30 days of enrollment plus a 6-month evaluation
# window end before this month's run, whatever today's date.
day() { psql -XAtq -c "SELECT ($1)::date"; }
month=$(day "date_trunc('month', current_date)")
start=$(day "date '$month' - interval '8 months'")

config=$var/demo.ini
job_other="nightly_${other%_*}"
{
    sed "s/^locale = .*/locale = $locale/" config/vocreport.ini
    # The same job in the other locale, published in its own folder.
    echo
    sed -n '/^\[nightly\]$/,$p' config/vocreport.ini | sed -e '1!{/^\[/,$d}' -e '/^;\[/,$d' |
        sed -e "s/^\[nightly\]$/[$job_other]/" -e "s/^locale = .*/locale = $other/" \
            -e 's/^schedule = .*/schedule =/'
    echo
    echo "; The demo's retention experiment (see config/vocreport.ini): enrolled by"
    echo "; the run in its start month, evaluated by today's."
    scripts/demo-experiment.sh "$start"
} >"$config"

export VOCREPORT_OUTPUT_DIR="$var/reports"
"$build/vocreport" init-db --config "$config"
run() { # JOB [AS-OF]: one night; its log only when it fails
    local log=$var/demo-run.log
    if ! "$build/vocreport" run --config "$config" --job "$1" ${2:+--as-of "$2"} >/dev/null 2>"$log"; then
        tail -20 "$log" >&2
        echo "demo: the run of $1 ${2:-today} failed (log: $log)" >&2
        exit 1
    fi
    echo "demo: ran $1 as of ${2:-today}"
}
# The enrollment night (its period ends on the start day), then the nights
# of the three months before this one, then today.
as_of=$(day "date '$start' + 1")
run nightly "$as_of"
for back in 3 2 1; do
    as_of=$(day "(date '$month' - interval '$back months')::date + 1")
    run nightly "$as_of"
done
run nightly
run "$job_other"
echo
"$build/vocreport" history --config "$config" --job nightly --last 5
echo
echo "Reports are in $VOCREPORT_OUTPUT_DIR/nightly/ ($locale) and $VOCREPORT_OUTPUT_DIR/$job_other/ ($other);"
echo "the database stays up:"
echo "  eval \"\$(scripts/pg.sh env $var/pg)\"; psql -d $PGDATABASE -c 'table vocreport.runs'"
echo "Stop it with: scripts/pg.sh stop $var/pg"
