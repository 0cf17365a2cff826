#!/usr/bin/env bash
# docs/your-data.md, followed literally on tests/fixtures/survey_only.csv: a
# company with survey answers only (London times without a zone, English
# comments, 44 answers such as "10", "." or "0", one answer exported twice).
# The guide's SQL and configuration are read from the page itself.  Every
# figure is checked by reference.py, September's NPS by hand from the CSV;
# no figure that needs finance data is 0; the workbook, briefing, CSV and
# department packs show n/a where there is no data.
. "$(dirname "$0")/lib.sh"

guide=$top/docs/your-data.md
# The fenced blocks of one kind (```sql, ```ini) of the guide, in order.
blocks() {
    awk -v want="$1" '/^```/ { if (state) state = 0; else state = ($0 == "```" want) ? 1 : 2; next }
                      state == 1' "$guide"
}
export PGDATABASE=vrt_survey_only
dropdb --if-exists "$PGDATABASE" 2>/dev/null
createdb "$PGDATABASE" || exit 1
cp "$here/fixtures/survey_only.csv" "$scratch/nps_answers.csv"
blocks sql > "$scratch/guide.sql"
blocks ini > "$scratch/vocreport.ini"
expect_match "the guide has its SQL" "$(cat "$scratch/guide.sql")" 'CREATE VIEW voc.feedback'
(cd "$scratch" && psql -qX -v ON_ERROR_STOP=1 -f guide.sql >/dev/null)
expect_eq "the guide's SQL runs" "$?" 0
expect_eq "the CSV loaded" "$(sql "SELECT count(*) FROM company.nps_answers")" 414
cfg=$scratch/vocreport.ini

out=$("$bin" check-config --config "$cfg" 2>&1); expect_eq "check-config" "$?" 0 || echo "$out"
"$bin" init-db --config "$cfg" >/dev/null 2>&1; expect_eq "init-db" "$?" 0
run() { "$bin" run --config "$1" --job nightly --as-of 2026-10-01 >"$scratch/out" 2>"$scratch/err"; }
fig() { sql "SELECT coalesce(value::text, 'NULL') FROM vocreport.kpi_values WHERE run_id = $1 AND code = '$2' AND dims = '$3'"; }

run "$cfg"; expect_eq "run" "$?" 0 || tail -5 "$scratch/err"
run1=$(last_run)
ref=$("$py" "$here/reference.py" --db "$PGDATABASE" --run-id "$run1" 2>&1)
expect_eq "reference.py agrees" "$?" 0 || printf '%s\n' "$ref" | tail -10
echo "$(printf '%s\n' "$ref" | tail -1)"

# September by hand from the CSV: London wall-clock times compare as text
# (an answer at 2026-08-31 23:30 is August's, read as UTC it would be
# September's); the answer exported twice counts once.
read -r n nps < <(awk -F, 'NR > 1 && $3 >= "2026-09-01" && $3 < "2026-10-01" && !seen[$1]++ {
        n++; if ($6 >= 9) p++; if ($6 <= 6) d++ }
    END { printf "%d %.6f\n", n, 100 * (p - d) / n }' "$here/fixtures/survey_only.csv")
expect_eq "September's answers, by hand" "$(fig "$run1" nps_n '')" "$n"
expect_eq "September's NPS, by hand" "$(sql "SELECT round(value::numeric, 6) FROM vocreport.kpi_values WHERE run_id = $run1 AND code = 'nps' AND dims = ''")" "$nps"
expect_eq "short answers are no text, not rejected" \
    "$(fig "$run1" dq.no_text table=feedback),$(sql "SELECT rejected_rows->'feedback' FROM vocreport.runs WHERE run_id = $run1")" \
    '44,{"duplicate_key": 1}'
expect_eq "touchpoints as the survey names them" \
    "$(sql "SELECT string_agg(dims, ',' ORDER BY dims) FROM vocreport.kpi_values WHERE run_id = $run1 AND code = 'nps' AND dims LIKE 'touchpoint=%'")" \
    "touchpoint=first_payment,touchpoint=onboarding,touchpoint=support"
# Nothing that needs finance data is a number; each says why.
finance="'class.revenue','class.arpu','class.repeat_rate','class.churn_rate','class.ltv','class.arpu_ratio','class.ltv_ratio','shift.revenue_gain','shift.ltv_gain','ltv_all','churn_rate','gross_margin','recon.revenue_ledger','recon.revenue_classes','recon.difference','recon.unexplained','gap.satisfied_churned'"
expect_eq "finance figures: all there" "$(sql "SELECT count(DISTINCT code) FROM vocreport.kpi_values WHERE run_id = $run1 AND code IN ($finance)")" 17
expect_eq "finance figures: none is a number" "$(sql "SELECT count(*) FROM vocreport.kpi_values WHERE run_id = $run1 AND code IN ($finance) AND (value IS NOT NULL OR n IS NOT NULL OR flag NOT LIKE '%no_orders%')")" 0
expect_eq "SLAs: not measured without cases" "$(sql "SELECT count(*) FROM vocreport.kpi_values WHERE run_id = $run1 AND code LIKE 'sla.%' AND (value IS NOT NULL OR flag <> 'no_cases')")" 0
expect_eq "topics from the comments" "$(fig "$run1" topic.negative topic=app_bugs)" \
    "$(sql "SELECT count(*) FROM vocreport.feedback_tags t JOIN company.nps_answers a ON a.answer_id = t.feedback_id
            WHERE 'app_bugs' = ANY (t.topics) AND t.sentiment < -0.05 AND a.answered_at >= '2026-09-01' AND a.answered_at < '2026-10-01'")"
expect_eq "gates pass without the views it does not have" "$(sql "SELECT gate_failures FROM vocreport.runs WHERE run_id = $run1")" "{}"

# What a reader sees: numbers where there is data, n/a and never 0.00
# money where there is none.
folder=$VOCREPORT_OUTPUT_DIR/nightly/2026-10-01
out=$("$py" "$here/check_workbook.py" "$folder/nightly-2026-10-01-executive.xlsx" --libreoffice 2>&1)
expect_eq "workbook reads back" "$?" 0 || printf '%s\n' "$out" | grep FAIL | head
money=$("$py" - "$folder/nightly-2026-10-01-executive.xlsx" <<'PY'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1], data_only=True)
for ws in wb.worksheets:
    for row in ws.iter_rows():
        for c in row:
            if c.number_format == '#,##0.00' and isinstance(c.value, (int, float)):
                print(f"{ws.title}!{c.coordinate}={c.value}")
PY
)
expect_eq "workbook: no money figure at all" "$money" ""
# No chart of zeros: the churn history is empty cells whose reason is the
# missing orders, no churn chart, and a line saying why.
hist=$("$py" - "$folder/nightly-2026-10-01-executive.xlsx" "$top/templates" <<'PY'
import sys
sys.path.insert(0, sys.argv[2] + "/../tests")
import openpyxl, check_workbook as cw
t = cw.load_texts(sys.argv[2], "en_US")
ws = openpyxl.load_workbook(sys.argv[1])[t["sheet.summary"]]
top = next(c.row for c in ws["A"] if c.value == t["summary.history"])
cols = {c.value: c.column for c in ws[top + 1]}
churn = cols[t["summary.history_churn"]]
letter = ws.cell(1, churn).column_letter
import datetime
rows = [r for r in range(top + 2, top + 40) if isinstance(ws.cell(r, 1).value, datetime.datetime)]
print("periods", len(rows) > 0)
print("churn values", sum(ws.cell(r, churn).value is not None for r in rows))
print("churn reasons", len(rows) - sum("no orders in the source" in (ws.cell(r, 1).comment.text if ws.cell(r, 1).comment else "")
                           for r in rows))
print("charts over churn",
      sum(f"${letter}$" in s.val.numRef.f for ch in ws._charts for s in ch.series))
print("why", any(isinstance(c.value, str) and c.value.startswith("No " + t["summary.history_churn"])
                 and "no orders in the source" in c.value for row in ws.iter_rows() for c in row))
PY
)
expect_eq "Summary: churn history empty, each with its reason, no churn chart" "$hist" \
    "periods True
churn values 0
churn reasons 0
charts over churn 0
why True"
# A figure without data is an empty cell whose comment gives the reason
# from its flag, never the n/a text: the headline churn rate and the
# classes' revenue (no orders view).
cells=$("$py" - "$folder/nightly-2026-10-01-executive.xlsx" "$top/templates" <<'PY'
import sys
sys.path.insert(0, sys.argv[2] + "/../tests")
import openpyxl, check_workbook as cw
t = cw.load_texts(sys.argv[2], "en_US")
wb = openpyxl.load_workbook(sys.argv[1])
def shown(ws, r, c):
    cell = ws.cell(r, c)
    return f"{cell.value!r} {cell.comment.text if cell.comment else None!r}"
ws = wb[t["sheet.summary"]]
r = next(c.row for c in ws["A"] if c.value == t["summary.churn"])
print("churn", shown(ws, r, 2))
ws = wb[t["sheet.classes"]]
hdr = next(c.row for c in ws["A"] if c.value == t["classes.class"])
col = next(c.column for c in ws[hdr] if isinstance(c.value, str) and c.value.startswith(t["classes.revenue"]))
print("revenue", shown(ws, hdr + 1, col))
PY
)
expect_eq "empty cells with the reason from the flag" "$cells" \
    "churn None 'n/a: no orders in the source'
revenue None 'n/a: no orders in the source'"
text=$(pdftotext -layout "$folder/nightly-2026-10-01-briefing.pdf" - 2>/dev/null)
qpdf --check "$folder/nightly-2026-10-01-briefing.pdf" >/dev/null 2>&1; expect_eq "briefing: qpdf" "$?" 0
nps1=$(sql "SELECT round(value::numeric, 1) FROM vocreport.kpi_values WHERE run_id = $run1 AND code = 'nps' AND dims = ''")
expect_match "briefing: NPS $nps1" "$text" "(^|[^0-9.])${nps1%.0}([^0-9]|$)"
expect_match "briefing: churn n/a" "$text" 'Churn rate'
expect_no_match "briefing: no 0.00" "$text" '(^|[^0-9])0\.00([^0-9]|$)'
# Each figure without data says why (its flag), the churn tile and the
# churn trend chart alike; the ranked findings are all worth n/a (no
# lifetime value without orders) and none is shown.
plain=$(pdftotext -enc UTF-8 "$folder/nightly-2026-10-01-briefing.pdf" - 2>/dev/null | tr -s '[:space:]' ' ')
expect_match "briefing: churn tile n/a and why" "$plain" "Churn rate .*n/a no orders in the source"
expect_match "briefing: churn chart n/a and why" "$plain" "n/a — no orders in the source"
expect_match "briefing: NPS trend drawn" "$plain" "Trends?, "
expect_eq "findings worth n/a exist" \
    "$(sql "SELECT count(*) > 0 FROM vocreport.kpi_values WHERE run_id = $run1 AND code = 'finding.money' AND value IS NULL")" t
expect_eq "no finding with money" \
    "$(sql "SELECT count(*) FROM vocreport.kpi_values WHERE run_id = $run1 AND code = 'finding.money' AND value IS NOT NULL")" 0
expect_no_match "briefing: no finding worth n/a" "$plain" "at stake|Key findings"
expect_eq "figures CSV: revenue empty, with its reason" \
    "$(grep '^[0-9]*,class.revenue,class=promoter,' "$folder/nightly-2026-10-01-figures.csv" | cut -d, -f4-6)" ",,no_orders"

# The other way the guide offers: the views hand over the local times as
# they are and the config names their zone.  The same figures.
psql -qX -v ON_ERROR_STOP=1 >/dev/null <<'SQL' || bad "naive views"
DROP VIEW voc.survey_responses, voc.feedback;
CREATE VIEW voc.survey_responses AS
SELECT answer_id AS response_id, customer_ref AS customer_id, answered_at AS responded_at,
       survey AS touchpoint, channel, score AS nps, NULL::smallint AS csat, NULL::smallint AS ces
FROM company.nps_answers;
CREATE VIEW voc.feedback AS
SELECT answer_id AS feedback_id, customer_ref AS customer_id, answer_id AS response_id,
       answered_at AS received_at, 'survey'::text AS channel, NULL::text AS brand, comment AS body,
       NULL::text AS topic, NULL::real AS sentiment
FROM company.nps_answers WHERE btrim(comment) <> '';
SQL
run "$cfg"; expect_eq "times without a zone: exit 3" "$?" 3
expect_match "times without a zone: both named" "$(sql "SELECT error FROM vocreport.runs WHERE run_id = $(last_run)")" \
    "2 problems: survey_responses.responded_at is timestamp without time zone, .*; feedback.received_at is timestamp without time zone, but times must be timestamptz: write received_at AT TIME ZONE 'Europe/London' in the view"
sed 's/^source_schema = voc/&\nsource_time_zone = Europe\/London/' "$cfg" > "$scratch/tz.ini"
run "$scratch/tz.ini"; expect_eq "source_time_zone: run" "$?" 0 || tail -5 "$scratch/err"
run2=$(last_run)
all() { sql "SELECT string_agg(code || ' ' || dims || ' ' || coalesce(value::text, '-') || ' ' || coalesce(n::text, '-') || ' ' || coalesce(flag, '-'), E'\n' ORDER BY code, dims)
             FROM vocreport.kpi_values WHERE run_id = $1 AND code NOT LIKE 'classify.%'"; }
expect_eq "source_time_zone: the same figures" "$(all "$run2")" "$(all "$run1")"
ref=$("$py" "$here/reference.py" --db "$PGDATABASE" --run-id "$run2" 2>&1)
expect_eq "source_time_zone: reference.py agrees" "$?" 0 || printf '%s\n' "$ref" | tail -5

# In Chinese, and with the shipped example's departments (their targets
# include SLAs and topics the company has no data for): the packs render.
sed -n '/^\[department\./,/^\[nightly\]/p' "$top/config/vocreport.ini" | sed '$d' > "$scratch/depts.ini"
{ sed 's/^locale = en_US/locale = zh_CN/' "$scratch/tz.ini"; cat "$scratch/depts.ini"; } > "$scratch/zh.ini"
run "$scratch/zh.ini"; expect_eq "Chinese, with departments: run" "$?" 0 || tail -5 "$scratch/err"
text=$(pdftotext -layout "$folder/nightly-2026-10-01-briefing.pdf" - 2>/dev/null)
expect_match "Chinese briefing: no data in words" "$text" '无数据'
expect_match "Chinese briefing: n/a and why" "$(pdftotext -enc UTF-8 "$folder/nightly-2026-10-01-briefing.pdf" - 2>/dev/null | tr -s '[:space:]' ' ')" \
    '无数据 — 数据源中没有订单'
expect_match "Chinese briefing: a department's SLA without cases says why" \
    "$(pdftotext -layout -enc UTF-8 "$folder/nightly-2026-10-01-briefing.pdf" - 2>/dev/null | tr -s ' ')" \
    '红色工单 24 小时内响应 无数据 不低于 90.0% 数据源中没有工单'
expect_no_match "Chinese briefing: no 0.00" "$text" '(^|[^0-9])0\.00([^0-9]|$)'
pack=$folder/dept-logistics/nightly-2026-10-01-dept-logistics
qpdf --check "$pack.pdf" >/dev/null 2>&1; expect_eq "logistics scorecard: qpdf" "$?" 0
expect_eq "logistics scorecard: each SLA tile without cases says why" \
    "$(pdftotext -layout "$pack.pdf" - 2>/dev/null | tr -s ' ' | grep -o '无数据 数据源中没有工单' | wc -l)" 3
expect_match "logistics scorecard: its targets without a figure say why" \
    "$(pdftotext -layout "$pack.pdf" - 2>/dev/null | tr -s ' ')" '本期无样本（n = 0） .* 数据源中没有工单'
expect_no_match "logistics scorecard: no low sample of nothing" "$(pdftotext -layout "$pack.pdf" - 2>/dev/null)" '样本不足（n = 0）'
out=$("$py" "$here/check_dept_workbook.py" "$pack.xlsx" logistics 2>&1); expect_eq "logistics workbook reads back" "$?" 0 || printf '%s\n' "$out" | tail -5
expect_eq "an SLA target says why it has no value" \
    "$(sql "SELECT coalesce(value::text, 'NULL') || ' ' || flag FROM vocreport.kpi_values WHERE run_id = $(last_run) AND code = 'dept.kpi.actual' AND dims = 'department=logistics;kpi=closed_48h'")" \
    "NULL no_cases"
finish
