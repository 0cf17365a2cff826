#!/usr/bin/env bash
# What the taxonomy leaves unread, on the hand-made fixture
# tests/fixtures/unread.sql through the real program:
# - topic.uncategorised_share overall, per channel and per language, on the
#   Topics sheet and, above 20 %, as a sentence in the briefing (both
#   locales);
# - upstream codes that are a topic's alias count as that topic; a code no
#   topic claims gets every topic figure, a cohort, and a Data quality line;
# - a department's pack quotes its own topics, also one outside the
#   company's top five (Billing's payment, ranked 8th).
# Every topic figure against tests/reference_topics.py and the hand figures
# of tests/fixtures/unread_expected.txt.
. "$(dirname "$0")/lib.sh"

taxonomy=$here/fixtures/unread_taxonomy.ini
cfg=$scratch/vocreport.ini
make_config "$cfg" 's/^max_rejected_share = .*/max_rejected_share = 1/' \
    's/^min_sample = .*/min_sample = 5/' \
    "s|^taxonomy =.*|taxonomy = $taxonomy|" \
    '/^kpi\.[a-z0-9_]* = topic\./d' \
    's/^topics = late_delivery,.*/topics = delivery/' \
    's/^topics = refund_return,.*/topics = service, returns/' \
    's/^topics = price,.*/topics = app, quality, price/' \
    's/^gate_[a-z_]* = .*//'
fresh_db topics_unread "$here/fixtures/unread.sql"
out=$("$bin" init-db --config "$cfg" 2>&1); expect_eq "init-db" "$?" 0

"$bin" run --config "$cfg" --job nightly --as-of 2026-10-01 >"$scratch/out" 2>"$scratch/err"
status=$?
expect_eq "run status" "$status" 0
[ "$status" = 0 ] || { tail -5 "$scratch/err"; finish; }
run_id=$(sql "SELECT max(run_id) FROM vocreport.runs")
dir=$(head -1 "$scratch/out")

ref=$("$py" "$here/reference_topics.py" --db "$PGDATABASE" --run-id "$run_id" \
    --taxonomy "$taxonomy" --expect "$here/fixtures/unread_expected.txt" 2>&1)
status=$?
expect_eq "reference_topics.py agrees" "$status" 0
[ "$status" = 0 ] || printf '%s\n' "$ref" | tail -20
echo "unread: $(printf '%s\n' "$ref" | tail -1)"
ref=$("$py" "$here/reference.py" --db "$PGDATABASE" --run-id "$run_id" 2>&1)
expect_eq "reference.py agrees" "$?" 0

kpi() { sql "SELECT coalesce(value::text, 'NULL') || ' ' || coalesce(n::text, 'NULL') || ' ' || coalesce(flag, 'NULL') FROM vocreport.kpi_values WHERE run_id = $run_id AND code = '$1' AND dims = '$2'"; }
expect_eq "share overall, n = rows with text" "$(kpi topic.uncategorised_share '')" "0.25 28 NULL"
expect_eq "share of Chinese rows" "$(kpi topic.uncategorised_share language=zh)" "0.3 10 NULL"
expect_eq "an alias is never a topic of its own" \
    "$(sql "SELECT count(*) FROM vocreport.kpi_values WHERE run_id = $run_id AND (dims LIKE '%Delivery-Late%' OR dims LIKE '%billing_issue%' OR dims LIKE '%物流%')")" 0
# The code no topic claims has every figure a taxonomy topic has.
codes_of() { sql "SELECT string_agg(code, ' ' ORDER BY code) FROM vocreport.kpi_values WHERE run_id = $run_id AND dims = 'topic=$1' AND code <> 'dq.unknown_topic'"; }
expect_eq "unknown code: every topic and cohort figure" "$(codes_of onboarding_call)" "$(codes_of delivery)"
expect_match "unknown code: 8 cohort figures" "$(codes_of onboarding_call)" '^(cohort\.[a-z_]+ ){8}topic\.'
expect_match "unknown code: a warning in the log" "$(cat "$scratch/err")" \
    'WARN .*upstream topic code "onboarding_call" \(3 rows in the period\) is no taxonomy topic.s code or alias'

finish
