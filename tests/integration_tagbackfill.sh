#!/usr/bin/env bash
# A backfill searches all the feedback (issue 14, "finding the new
# feedback"): a row that reached an old period after its night ran, in a
# way the fast path's counters do not see, is classified when that period
# is run again, because a run whose period ends before one its job already
# reported does not trust the fast path (docs/decisions.md, "Finding the
# feedback to classify").
. "$(dirname "$0")/lib.sh"

fresh_db tagbackfill "$here/fixtures/small.sql"
cfg=$scratch/vocreport.ini
make_config "$cfg" 's/^max_rejected_share = .*/max_rejected_share = 1/'
"$bin" init-db --config "$cfg" >/dev/null 2>&1
run() { "$bin" run --config "$cfg" --job nightly --as-of "$1" >/dev/null 2>"$scratch/err"; }
fig() { sql "SELECT value FROM vocreport.kpi_values WHERE run_id = $(last_run) AND code = '$1' AND dims = '$2'"; }
. "$here/tag_lib.sh"
backfill="full search: a backfill (this job already reported a period ending 2026-11-01 00:00:00+01)"

run 2026-10-01; expect_eq "September's night" "$?" 0
september=$(fig topic.mentions "topic=refund_return")
expect_eq "September's refund mentions, before" "$september" "1"
run 2026-11-01; expect_eq "October's night: no full search" "$(found)" "found 0 feedback rows to classify ($same)"
run 2026-11-01; expect_eq "October again: not a backfill" "$(found)" "found 0 feedback rows to classify ($same)"

# A late row with September's time, loaded without counters.
text='Refund took far too long, still waiting for my money'
uncounted "INSERT INTO voc.feedback VALUES (70, 2, NULL, '2026-09-21 10:00+02', 'review', NULL, '$text', NULL, NULL)"
run 2026-11-01; expect_eq "the night does not see it (the weekly search will)" "$(found)" "found 0 feedback rows to classify ($same)"
expect_eq "so it has no tag yet" "$(tag 70)" ""

run 2026-10-01; expect_eq "September again: a backfill" "$?" 0
expect_eq "the backfill searches all" "$(found)" "found 1 feedback rows to classify ($backfill)"
expect_eq "the late row is tagged" "$(tag 70)" "$(classified "$text")"
expect_eq "classify.tagged counts it" "$(fig classify.tagged '')" "1"
expect_eq "and September's refund mentions count it" "$(fig topic.mentions "topic=refund_return")" "$((september + 1))"
run 2026-10-01; expect_eq "a second backfill searches again, finds nothing" "$(found)" "found 0 feedback rows to classify ($backfill)"
# An ad-hoc range inside September is a backfill too.
"$bin" run --config "$cfg" --job nightly --from 2026-09-01 --to 2026-09-30 >/dev/null 2>"$scratch/err"
expect_eq "a range before the last period: full search" "$(found)" "found 0 feedback rows to classify ($backfill)"
# Its proof holds for the next night.
run 2026-11-01; expect_eq "the night after: fast path again" "$(found)" "found 0 feedback rows to classify ($same)"
finish
