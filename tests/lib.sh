# Shared by the integration tests: a fresh database per test on the server
# scripts/test.sh started (PG* variables), a scratch folder, assertions.
# Each test sources this file and is runnable alone:
#   eval "$(scripts/pg.sh env var/pg-test)"; VR_TEST_BIN=build-asan/vocreport tests/<name>.sh
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/.." && pwd)
bin=${VR_TEST_BIN:?set VR_TEST_BIN to the vocreport binary}
py=/usr/bin/python3     # Debian's: it sees python3-openpyxl
test_name=$(basename "$0" .sh)
scratch=$(mktemp -d "/tmp/vr-$test_name.XXXXXX")
export VOCREPORT_OUTPUT_DIR="$scratch/reports"
checks=0 failures=0

cleanup() { rm -rf "$scratch"; }
trap cleanup EXIT

# fresh_db NAME [FIXTURE.sql ...]: empty contract schema plus fixtures.
fresh_db() {
    export PGDATABASE="vrt_$1"
    dropdb --if-exists "$PGDATABASE" 2>/dev/null
    createdb "$PGDATABASE" || exit 1
    psql -qX -v ON_ERROR_STOP=1 -f "$top/sql/demo/contract.sql" >/dev/null || exit 1
    shift
    for f in "$@"; do psql -qX -v ON_ERROR_STOP=1 -f "$f" >/dev/null || exit 1; done
}

# make_config FILE [sed expressions...]: the shipped config, adjusted.
make_config() {
    local out=$1; shift
    local args=()
    for e in "$@"; do args+=(-e "$e"); done
    if [ ${#args[@]} -gt 0 ]; then sed "${args[@]}" "$top/config/vocreport.ini" > "$out"
    else cp "$top/config/vocreport.ini" "$out"; fi
}

# topics_config FILE: the shipped config as tests/fixtures/topics.sql is run.
# A few rows are dirty on purpose; five complainers are enough for a cohort
# there.  The shipped department KPIs name topics of the shipped taxonomy,
# which a run refuses with the fixture's: they go, and the departments own
# the fixture's topics instead.
topics_config() {
    make_config "$1" 's/^max_rejected_share = .*/max_rejected_share = 1/' \
        's/^min_sample = .*/min_sample = 5/' \
        "s|^taxonomy =.*|taxonomy = $here/fixtures/topics_taxonomy.ini|" \
        '/^kpi\.[a-z0-9_]* = topic\./d' \
        's/^topics = late_delivery,.*/topics = delivery/' \
        's/^topics = refund_return,.*/topics = service/' \
        's/^topics = price,.*/topics = app, quality/' \
        's/^topics = payment$/topics = price/'
}

sql() { psql -XAtq -v ON_ERROR_STOP=1 -c "$1"; }
# The newest run's id: what a test reads right after `vocreport run`.
last_run() { sql "SELECT max(run_id) FROM vocreport.runs"; }

# sheet_text FILE SHEET: every cell of one sheet of a workbook as written
# (a formula as its formula), one line each, then "charts N".
sheet_text() {
    "$py" -c '
import openpyxl, sys
ws = openpyxl.load_workbook(sys.argv[1])[sys.argv[2]]
print("\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value is not None))
print("charts", len(ws._charts))
' "$1" "$2"
}

# Every check returns its verdict too: `expect_eq ... || tail "$log"`.
ok() { checks=$((checks + 1)); }
bad() { checks=$((checks + 1)); failures=$((failures + 1)); echo "FAIL: $*"; return 1; }

expect_eq() { # what got want
    if [ "$2" = "$3" ]; then ok; else bad "$1: got '$2', want '$3'"; fi
}
# Here-strings, not pipes: grep -q may exit before a writer finishes, and
# under pipefail the writer's SIGPIPE would fail a check that matched.
expect_match() { # what text regex
    if grep -Eq -- "$3" <<<"$2"; then ok; else bad "$1: '$(head -3 <<<"$2")' does not match /$3/"; fi
}
expect_no_match() { # what text regex
    if grep -Eq -- "$3" <<<"$2"; then bad "$1: unexpectedly matches /$3/"; else ok; fi
}

finish() {
    echo "$test_name: $((checks - failures)) passed, $failures failed"
    [ "$failures" = 0 ] && [ "$checks" -gt 0 ]
    exit $?
}

# figure_rows DB SCHEMA RUN_ID: every kpi_values row of a run (code, dims,
# value, n, flag), sorted: two runs of the same data compare as text.
figure_rows() {
    psql -XAtq -d "$1" -c "SELECT code, dims, coalesce(value::text, 'NULL'), n, coalesce(flag, '')
        FROM $2.kpi_values WHERE run_id = $3" | LC_ALL=C sort
}
# expect_same_figures WHAT FILE_A FILE_B: equal, else the first differences.
expect_same_figures() {
    if cmp -s "$2" "$3"; then ok; else
        bad "$1: kpi_values differ"
        diff "$2" "$3" | head -20
    fi
}
