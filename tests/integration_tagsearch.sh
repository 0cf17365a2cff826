#!/usr/bin/env bash
# The search for feedback to classify (issue 14): a night where nothing
# changed skips the full search only while the source's counters, files and
# view definitions prove it; a new row, a changed body, a statistics reset,
# a week's age or a view the counters cannot follow bring the full search
# back, and it finds what changed (docs/decisions.md, "Finding the feedback
# to classify").
. "$(dirname "$0")/lib.sh"

fresh_db tagsearch "$here/fixtures/small.sql"
cfg=$scratch/vocreport.ini
make_config "$cfg" 's/^max_rejected_share = .*/max_rejected_share = 1/'
"$bin" init-db --config "$cfg" >/dev/null 2>&1
run() { "$bin" run --config "$cfg" --job nightly --as-of 2026-10-01 >/dev/null 2>"$scratch/err"; }
fig() { sql "SELECT value FROM vocreport.kpi_values WHERE run_id = $(last_run) AND code = '$1'"; }
. "$here/tag_lib.sh"
full="full search: the source or the tags changed since the last one"

run; expect_eq "first night" "$?" 0
expect_eq "first night: full search" "$(found)" "found 9 feedback rows to classify (full search: no full search to compare with)"
# Id 2's two copies: the tag hashes the kept (earlier) one.
expect_eq "every tag keeps its body's hash" "$(sql "SELECT string_agg(feedback_id::text, ',' ORDER BY feedback_id)
    FROM vocreport.feedback_tags t JOIN voc.feedback f USING (feedback_id)
    WHERE t.body_hash = hashtextextended(coalesce(f.body, '') COLLATE \"C\", 0)")" "1,2,3,4,5,6,7,8,9"
run; expect_eq "nothing new: no full search" "$(found)" "found 0 feedback rows to classify ($same)"
expect_eq "nothing new: nothing tagged" "$(fig classify.tagged),$(fig classify.skipped)" "0,0"

# A new row, run at once.
counted "INSERT INTO voc.feedback VALUES (60, 1, NULL, '2026-09-20 10:00+02', 'review', NULL, 'The app keeps crashing when I pay', NULL, NULL)"
run; expect_eq "a new row: full search" "$(found)" "found 1 feedback rows to classify ($full)"
expect_eq "the new row is tagged" "$(tag 60)" "$(classified 'The app keeps crashing when I pay')"
run; expect_eq "and the night after: none" "$(found)" "found 0 feedback rows to classify ($same)"

# A body changed upstream is classified again; a changed copy the data
# checks reject (id 2's later copy) changes no tag and is not found.
before=$(tag 1)
counted "UPDATE voc.feedback SET body = 'The parcel was delivered three days late' WHERE feedback_id = 1"
run; expect_eq "a changed body: full search" "$(found)" "found 1 feedback rows to classify ($full)"
expect_eq "the changed body is tagged anew" "$(tag 1)" "$(classified 'The parcel was delivered three days late')"
expect_match "by hand: late delivery, negative" "$(tag 1)" '^\{late_delivery[,}].* -0\.'
[ "$(tag 1)" != "$before" ] && ok || bad "the changed body's tag differs from the old one"
counted "UPDATE voc.feedback SET body = 'edited second copy' WHERE feedback_id = 2 AND response_id IS NULL"
run; expect_eq "a rejected copy changed: searched, nothing to classify" "$(found)" "found 0 feedback rows to classify ($full)"

# A statistics reset, then exactly as many counted inserts, updates and
# deletes as before (rolled back: attempts count) and a row nobody
# counted: the counters match the last search, only the reset tells.
psql -XAtq -c "SELECT pg_stat_force_next_flush()" >/dev/null
read -r ins upd del < <(sql "SELECT n_tup_ins, n_tup_upd, n_tup_del FROM pg_stat_user_tables WHERE relid = 'voc.feedback'::regclass" | tr '|' ' ')
sql "SELECT pg_stat_reset()" >/dev/null
psql -XAtq -v ON_ERROR_STOP=1 -c "BEGIN" \
    -c "INSERT INTO voc.feedback (feedback_id, body) SELECT 1000 + g, 'x' FROM generate_series(1, $ins) g" \
    -c "UPDATE voc.feedback SET body = body WHERE ctid IN (SELECT ctid FROM voc.feedback LIMIT $upd)" \
    -c "DELETE FROM voc.feedback WHERE ctid IN (SELECT ctid FROM voc.feedback LIMIT $del)" \
    -c "ROLLBACK" -c "SELECT pg_stat_force_next_flush()" >/dev/null
expect_eq "the counters are back where they were" \
    "$(sql "SELECT n_tup_ins || ' ' || n_tup_upd || ' ' || n_tup_del FROM pg_stat_user_tables WHERE relid = 'voc.feedback'::regclass")" \
    "$ins $upd $del"
uncounted "INSERT INTO voc.feedback VALUES (61, 2, NULL, '2026-09-21 10:00+02', 'review', NULL, 'Refund took far too long', NULL, NULL)"
run; expect_eq "after a reset: full search" "$(found)" "found 1 feedback rows to classify ($full)"
expect_eq "the uncounted row is tagged" "$(tag 61)" "$(classified 'Refund took far too long')"

# What the counters never see is found by the weekly full search.
uncounted "INSERT INTO voc.feedback VALUES (62, 2, NULL, '2026-09-22 10:00+02', 'review', NULL, 'Rude staff at the counter', NULL, NULL)"
run; expect_eq "an uncounted row: no full search tonight" "$(found)" "found 0 feedback rows to classify ($same)"
sql "UPDATE vocreport.feedback_check SET full_check_at = full_check_at - interval '7 days'" >/dev/null
run; expect_eq "a week later: full search" "$(found)" "found 1 feedback rows to classify (full search: the last one is a week old)"
expect_eq "the week-old miss is tagged" "$(tag 62)" "$(classified 'Rude staff at the counter')"

# Through a view: the counters of the table under it; a view whose rows
# depend on the clock cannot be proven unchanged, so every night searches.
sql "ALTER TABLE voc.feedback RENAME TO feedback_raw; CREATE VIEW voc.feedback AS SELECT * FROM voc.feedback_raw" >/dev/null
run; expect_eq "a new view: full search" "$(found)" "found 0 feedback rows to classify ($full)"
run; expect_eq "through the view: nothing changed" "$(found)" "found 0 feedback rows to classify ($same)"
counted "INSERT INTO voc.feedback_raw VALUES (63, 2, NULL, '2026-09-23 10:00+02', 'review', NULL, 'Great value for money', NULL, NULL)"
run; expect_eq "a row in the table under the view" "$(found)" "found 1 feedback rows to classify ($full)"
sql "CREATE OR REPLACE VIEW voc.feedback AS SELECT * FROM voc.feedback_raw WHERE received_at <= now()" >/dev/null
for night in 1 2; do
    run; expect_eq "a view of the clock, night $night: full search" "$(found)" \
        "found 0 feedback rows to classify (full search: the feedback view calls a function that is not immutable)"
done
# Tags changed by hand withdraw the proof (the tags' trigger).
sql "UPDATE vocreport.feedback_tags SET model_version = 'old' WHERE feedback_id = 63" >/dev/null
sql "CREATE OR REPLACE VIEW voc.feedback AS SELECT * FROM voc.feedback_raw" >/dev/null
run; run; expect_eq "proof again" "$(found)" "found 0 feedback rows to classify ($same)"
sql "UPDATE vocreport.feedback_tags SET model_version = 'old' WHERE feedback_id = 63" >/dev/null
run; expect_eq "a tag changed by hand: full search" "$(found)" "found 1 feedback rows to classify (full search: no full search to compare with)"

# A job in another time zone reads the same proof: the moments in it are
# not written in the session's (the job's) time zone.
make_config "$scratch/shanghai.ini" 's/^max_rejected_share = .*/max_rejected_share = 1/' \
    's/^\[nightly\]/[nightly_cn]/' 's|^time_zone = Europe/Berlin|time_zone = Asia/Shanghai|'
run; expect_eq "Berlin: proof" "$(found)" "found 0 feedback rows to classify ($same)"
"$bin" run --config "$scratch/shanghai.ini" --job nightly_cn --as-of 2026-10-01 >/dev/null 2>"$scratch/err"
expect_eq "Shanghai: the same proof" "$(found)" "found 0 feedback rows to classify ($same)"
run; expect_eq "Berlin again: the same proof" "$(found)" "found 0 feedback rows to classify ($same)"
finish
