#!/usr/bin/env bash
# The shared definitions of sql/defs/ and a file of sql/compute/ as a reader
# runs them in psql (docs/sql.md), against second implementations:
# - pg_temp.vr_arm (sql/defs/arm_assignment.sql) gives every customer the
#   arm Python's md5 gives, at two treatment shares;
# - pg_temp.vr_negative (sql/defs/negative_mention.sql) takes -0.05 as
#   stored in a real for neutral, anything below it for negative;
# - pg_temp.vr_in_population (sql/defs/population.sql) on cases worked out
#   by hand around midnight in Berlin, and inlined (no call in the plan);
# - sql/compute/roi_window.sql with psql -v values prints the window's days.
. "$(dirname "$0")/lib.sh"

fresh_db sql_defs
# One psql session: the definitions live in pg_temp as long as it does.
in_session() {
    psql -XAtq -v ON_ERROR_STOP=1 -f "$top/sql/defs/arm_assignment.sql" \
        -f "$top/sql/defs/negative_mention.sql" -c "$1"
}

for share in 0.5 0.3; do
    got=$(in_session "SELECT string_agg(id || ' ' || pg_temp.vr_arm('retention_2026', id,
                          $share), E'\n' ORDER BY id) FROM generate_series(1, 400) id")
    want=$("$py" - "$share" <<'PY'
import hashlib, sys
share = float(sys.argv[1])
for i in range(1, 401):
    h = int(hashlib.md5(f"retention_2026:{i}".encode()).hexdigest()[:13], 16)
    print(i, "treatment" if h / 2**52 < share else "control")
PY
)
    expect_eq "vr_arm at treatment_share $share" "$got" "$want"
done
# Both arms occur: the comparison above is not between two constant lists.
expect_match "vr_arm: both arms" "$(in_session "SELECT count(DISTINCT pg_temp.vr_arm('x', id,
    0.5)) FROM generate_series(1, 50) id")" '^2$'

got=$(in_session "SELECT string_agg(coalesce(pg_temp.vr_negative(s)::text, 'null'), ' '
                     ORDER BY o) FROM (VALUES (1, real '-0.05'), (2, real '-0.0501'),
                     (3, real '-0.049'), (4, real '0'), (5, real '-1'), (6, NULL)) v(o, s)")
expect_eq "vr_negative: -0.05 neutral, below negative, NULL unknown" "$got" \
    "false true false false true null"

# At 1 October 2026 00:00 in Berlin (30 September 22:00 UTC): acquired the
# day before counts, on the day does not; unlisted counts only with a paid
# order strictly before the moment; no date counts when listed.
pop() {
    PGTZ=Europe/Berlin psql -XAtq -v ON_ERROR_STOP=1 -f "$top/sql/defs/population.sql" -c "$1"
}
got=$(pop "SELECT string_agg(coalesce(pg_temp.vr_in_population(
               timestamptz '2026-10-01 00:00+02', listed, acq, paid)::text, 'null'), ' ' ORDER BY o)
           FROM (VALUES (1, true, date '2026-09-30', NULL::timestamptz),
                        (2, true, date '2026-10-01', NULL),
                        (3, true, NULL, NULL),
                        (4, false, NULL, timestamptz '2026-09-30 23:59+02'),
                        (5, false, NULL, timestamptz '2026-10-01 00:00+02'),
                        (6, true, date '2026-10-01', timestamptz '2026-09-01 12:00+02'),
                        (7, false, NULL, NULL)) v(o, listed, acq, paid)")
expect_eq "vr_in_population: by hand" "$got" "true false true true false true false"
plan=$(pop "EXPLAIN (VERBOSE, COSTS OFF) SELECT count(*) FROM generate_series(1, 3) g
            WHERE pg_temp.vr_in_population(now(), g > 1, NULL, NULL)")
expect_no_match "vr_in_population is inlined" "$plan" 'vr_in_population'

got=$(PGTZ=Europe/Berlin psql -XAtq -v ON_ERROR_STOP=1 -v window_start=2026-01-01 \
    -v as_of=2026-12-01 -f "$top/sql/compute/roi_window.sql")
expect_eq "roi_window.sql in psql" "$got" "2026-01-01|2026-11-30"

finish
