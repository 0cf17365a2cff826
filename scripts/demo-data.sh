#!/usr/bin/env bash
# Load deterministic demo data into the source schema `voc` of a database.
#
# Usage: scripts/demo-data.sh --db NAME [--seed 42] [--customers 20000]
#                             [--responses 100000] [--as-of YYYY-MM-DD]
#
# Connection: the usual PG* environment variables (PGHOST, PGPORT, PGUSER,
# ...), as for psql; the database must exist. The as-of date (default: today)
# is midnight in the session time zone: set PGTZ to the job's time zone so
# that "nothing after as_of" holds there too.
#
# Runs sql/demo/contract.sql (drops and recreates schema voc) and then
# sql/demo/generate.sql, stopping at the first error, and prints one summary
# line: row counts per table and the seconds taken.
set -euo pipefail

usage() {
    sed -n '2,5p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
}
die() { echo "demo-data: $*" >&2; exit 2; }

db='' seed=42 customers=20000 responses=100000 as_of=''
while [ $# -gt 0 ]; do
    case $1 in
    --db)        [ $# -ge 2 ] || usage; db=$2; shift 2 ;;
    --seed)      [ $# -ge 2 ] || usage; seed=$2; shift 2 ;;
    --customers) [ $# -ge 2 ] || usage; customers=$2; shift 2 ;;
    --responses) [ $# -ge 2 ] || usage; responses=$2; shift 2 ;;
    --as-of)     [ $# -ge 2 ] || usage; as_of=$2; shift 2 ;;
    --db=*)        db=${1#*=}; shift ;;
    --seed=*)      seed=${1#*=}; shift ;;
    --customers=*) customers=${1#*=}; shift ;;
    --responses=*) responses=${1#*=}; shift ;;
    --as-of=*)     as_of=${1#*=}; shift ;;
    -h|--help)   usage ;;
    *)           echo "demo-data: unknown argument: $1" >&2; usage ;;
    esac
done

[ -n "$db" ] || { echo "demo-data: --db is required" >&2; usage; }
[[ $seed =~ ^-?[0-9]{1,9}$ ]] || die "--seed must be an integer, got '$seed'"
if ! [[ $customers =~ ^[0-9]{1,8}$ ]] || [ "$customers" -lt 100 ]; then
    die "--customers must be an integer of at least 100, got '$customers'"
fi
if ! [[ $responses =~ ^[0-9]{1,9}$ ]] || [ "$responses" -lt 100 ]; then
    die "--responses must be an integer of at least 100, got '$responses'"
fi

here=$(cd "$(dirname "$0")/.." && pwd)
sql=$here/sql/demo
psql=(psql -X -q -v ON_ERROR_STOP=1 -d "$db")

# Default and validate the as-of date in the server's view of the session
# time zone, the same one generate.sql uses.
if [ -z "$as_of" ]; then
    as_of=$("${psql[@]}" -Atc "SELECT current_date") || die "cannot connect to database '$db'"
fi
[[ $as_of =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}$ ]] || die "--as-of must be YYYY-MM-DD, got '$as_of'"
check=$("${psql[@]}" -At -v d="$as_of" <<'SQL'
SELECT CASE WHEN :'d'::date > current_date THEN 'future' ELSE 'ok' END;
SQL
) || die "invalid --as-of '$as_of' (or cannot connect to database '$db')"
if [ "$check" = future ]; then
    echo "demo-data: warning: --as-of $as_of is after today; the clean rows after today look future-dated to a job run now" >&2
fi

start=$(date +%s.%N)
"${psql[@]}" -f "$sql/contract.sql"
"${psql[@]}" -v seed="$seed" -v customers="$customers" -v responses="$responses" \
    -v as_of="$as_of" -f "$sql/generate.sql"
end=$(date +%s.%N)

counts=$("${psql[@]}" -At <<'SQL'
SELECT string_agg(t || '=' || n, ' ' ORDER BY o) FROM (
              SELECT 1 AS o, 'customers' AS t, count(*) AS n FROM voc.customers
    UNION ALL SELECT 2, 'orders', count(*) FROM voc.orders
    UNION ALL SELECT 3, 'churn_events', count(*) FROM voc.churn_events
    UNION ALL SELECT 4, 'survey_responses', count(*) FROM voc.survey_responses
    UNION ALL SELECT 5, 'feedback', count(*) FROM voc.feedback
    UNION ALL SELECT 6, 'customer_events', count(*) FROM voc.customer_events
    UNION ALL SELECT 7, 'cases', count(*) FROM voc.cases
    UNION ALL SELECT 8, 'program_costs', count(*) FROM voc.program_costs
    UNION ALL SELECT 9, 'business_metrics', count(*) FROM voc.business_metrics
) x;
SQL
)
tz=$("${psql[@]}" -Atc "SHOW TimeZone")
secs=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')
echo "demo-data: db=$db seed=$seed as_of=$as_of tz=$tz $counts seconds=$secs"
