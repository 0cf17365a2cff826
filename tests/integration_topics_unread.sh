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
run_id=$(last_run)
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

# The executive workbook: the Topics sheet's block (the row label, the
# comments with text, the share) and the Data quality sheet's list.
rows_of() { # workbook sheet first-row-label: "label|n|share" lines from that row on
    "$py" - "$@" <<'PY'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1], data_only=True)
ws = wb[sys.argv[2]]
out, on = [], False
for row in ws.iter_rows(values_only=True):
    cells = [c for c in row if c is not None]
    if cells and cells[0] == sys.argv[3]:
        on = True
        continue
    if on:
        if not cells or not isinstance(cells[-1], (int, float)):
            break
        out.append('|'.join(str(round(c, 4)) if isinstance(c, float) else str(c) for c in cells))
print('\n'.join(out))
PY
}
book=$dir/nightly-2026-10-01-executive.xlsx
expect_eq "Topics sheet: share of comments matching no topic" \
    "$(rows_of "$book" Topics 'Own-brand comments with text')" \
    "$(printf '%s\n' 'All|28|0.25' 'English|18|0.2222' 'Chinese|10|0.3' 'Call centre|7|0.1429' \
        'Review|7|0.1429' 'Social media|3|0.3333' 'Survey|11|0.3636')"
expect_eq "Data quality: the code no topic claims, with its rows" \
    "$(rows_of "$book" 'Data quality' 'Code')" 'onboarding_call|3'
expect_match "Topics sheet: the unknown code under its own name" \
    "$("$py" -c 'import sys, openpyxl; ws = openpyxl.load_workbook(sys.argv[1])["Topics"]; print(" ".join(str(c) for r in ws.iter_rows(values_only=True) for c in r if c))' "$book")" \
    ' onboarding_call '
brief=$(pdftotext -layout "$dir/nightly-2026-10-01-briefing.pdf" - 2>/dev/null | tr -s ' \n' ' ')
expect_match "briefing: the unread sentence" "$brief" \
    '25 % of the period.s 28 comments match no topic, so no topic figure counts them; see "vocreport suggest-topics"'

# Each department pack quotes its own topics: Billing's payment is 8th in
# the company, outside the top five; customer service's returns 7th.
pack() { echo "$dir/dept-$1/nightly-2026-10-01-dept-$1"; }
scorecard=$(pdftotext -layout "$(pack billing).pdf" - 2>/dev/null | tr -s ' \n' ' ')
expect_match "billing scorecard quotes its payment topic" "$scorecard" 'I was charged twice this month'
expect_no_match "billing scorecard has comments" "$scorecard" 'No comments on its topics'
verbatims() { "$py" -c 'import sys, openpyxl; ws = openpyxl.load_workbook(sys.argv[1])["Verbatims"]; print("\n".join(" | ".join(str(c) for c in r if c is not None) for r in ws.iter_rows(min_row=5, values_only=True)))' "$1"; }
expect_eq "billing workbook: its negative payment comment" "$(verbatims "$(pack billing).xlsx")" \
    'Payment problems | 2026-09-21 | Survey | I was charged twice this month'
expect_match "customer service quotes returns (7th)" "$(verbatims "$(pack customer_service).xlsx")" \
    'Refunds \| 2026-09-20 \| Survey \| 退款一直没到'
expect_match "product quotes quality (6th)" "$(verbatims "$(pack product).xlsx")" 'The fabric tore after one wash'
expect_no_match "no pack leaks" "$(cat "$scratch/err")" 'leak_check|delivery held'

# The Chinese reports: the same sentence and block in the job's locale.
sed -i 's/^locale = .*/locale = zh_CN/' "$cfg"
"$bin" run --config "$cfg" --job nightly --as-of 2026-10-01 >"$scratch/out" 2>"$scratch/err"
expect_eq "zh run status" "$?" 0
dir=$(head -1 "$scratch/out")
brief=$(pdftotext -layout "$dir/nightly-2026-10-01-briefing.pdf" - 2>/dev/null | tr -d ' \n')
expect_match "zh briefing: the unread sentence" "$brief" '本期28条评论中有25%没有匹配任何话题，所有话题指标都没有计入它们'
expect_eq "zh Topics sheet: the block" \
    "$(rows_of "$dir/nightly-2026-10-01-executive.xlsx" 话题 '本品牌有文字的评论' | sed -n 1,3p)" \
    "$(printf '%s\n' '全部|28|0.25' '英文|18|0.2222' '中文|10|0.3')"

finish
