#!/usr/bin/env bash
# Churn at a moment (sql/defs/churn.sql, docs/decisions.md "Churn"), case by
# case against values worked out by hand, and inlined by the planner (a
# call per row of every customer would cost the classes and the history
# their plans).
. "$(dirname "$0")/lib.sh"
fresh_db sql_churn
export PGTZ=Europe/Berlin

# churned_at AT RULE LAST_EVENT LAST_PAID: the moment, or NULL (90 days).
churned_at() {
    psql -XAtq -v ON_ERROR_STOP=1 -f "$top/sql/defs/churn.sql" -c "SELECT coalesce(
        pg_temp.vr_churned_at('$1', '$2', 90, $3, $4)::text, 'NULL')"
}
T="2026-12-01 00:00+01"
expect_eq "explicit: the latest event" \
    "$(churned_at "$T" explicit "'2026-11-01 10:00+01'" NULL)" "2026-11-01 10:00:00+01"
expect_eq "explicit: an order at the event's moment does not undo it" \
    "$(churned_at "$T" explicit "'2026-11-01 10:00+01'" "'2026-11-01 10:00+01'")" \
    "2026-11-01 10:00:00+01"
expect_eq "explicit: an order after the event undoes it" \
    "$(churned_at "$T" explicit "'2026-11-01 10:00+01'" "'2026-11-01 10:01+01'")" "NULL"
expect_eq "explicit: an event at T is not before T" \
    "$(churned_at "$T" explicit "'$T'" NULL)" "NULL"
expect_eq "explicit: no event" "$(churned_at "$T" explicit NULL "'2026-01-01 00:00+01'")" "NULL"
# T less 90 local days is 2 September 00:00 (summer time, +02); a paid order
# the day before churns 90 local days later, midnight again in winter time
# (not 2,160 hours later, 23:00 on the 29th).
expect_eq "inactivity: the last paid order plus the days, in local days" \
    "$(churned_at "$T" inactivity NULL "'2026-09-01 00:00+02'")" "2026-11-30 00:00:00+01"
expect_eq "inactivity: exactly the days before T is still active" \
    "$(churned_at "$T" inactivity NULL "'2026-09-02 00:00+02'")" "NULL"
expect_eq "inactivity: never paid" "$(churned_at "$T" inactivity NULL NULL)" "NULL"
expect_eq "inactivity: churn events do not count" \
    "$(churned_at "$T" inactivity "'2026-11-01 10:00+01'" "'2026-11-20 00:00+01'")" "NULL"

# Inlined: the plan shows the rule's CASE, not a call of the function.
plan=$(psql -XAtq -v ON_ERROR_STOP=1 -f "$top/sql/defs/churn.sql" -c "EXPLAIN (VERBOSE, COSTS OFF)
    SELECT pg_temp.vr_churned_at(now(), 'explicit', 90, e, p)
      FROM (VALUES (now(), now())) v(e, p)")
expect_match "inlined into the query" "$plan" "CASE WHEN"
expect_no_match "no call per row" "$plan" "vr_churned_at"
finish
