#!/usr/bin/env bash
# Departments, targets and closure: the hand-made fixture
# (tests/fixtures/depts.sql) through the real program and PostgreSQL.  Every
# sla.*, journey.*, dept.kpi.*, warn.* and gap.* figure is compared with the
# independent implementation (reference_depts.py); the edges the fixture was
# built for are checked against the hand calculation here.  Then the
# history by period (each KPI in the twelve months up to the report's,
# dept.kpi.previous the month before, with its dates) of a first run, of
# nightly re-runs of the same month and of a backfill.
. "$(dirname "$0")/lib.sh"

cfg=$scratch/vocreport.ini
cat > "$cfg" <<INI
[output]
root = $scratch/reports

[journey]
touchpoints = purchase, delivery, onboarding, after_sales
nps = >= 30 amber 10
csat = >= 80% amber 5%
negative_share = <= 25% amber 5%

[department.logistics]
name = Logistics
head = logistics@example.com
touchpoints = delivery
topics = late_delivery, damaged_item, wrong_item, packaging
kpi.nps = nps >= 20 amber 10
kpi.ces = ces >= 5 amber 1
kpi.closed = sla.closed_48h >= 80% amber 10%
kpi.late = topic.negative(late_delivery) <= 3 amber 1
kpi.neg = journey.negative_share <= 25% amber 5%

[department.customer_service]
name = Customer service
head = service@example.com
touchpoints = after_sales
topics = refund_return, service_attitude, phone_wait
kpi.nps = nps >= -15 amber 10
kpi.red = sla.first_response_24h >= 90% amber 5%
kpi.open = sla.open_over_72h <= 10% amber 5%

[department.product]
name = Product
head = product@example.com
touchpoints = onboarding
topics = price, product_quality, app_bugs, reliability, design, ease_of_use, value_for_money
kpi.ces = ces >= 5 amber 0.5
kpi.bugs = topic.negative(app_bugs) <= 1 amber 1

[department.billing]
name = Billing
head = billing@example.com
touchpoints = purchase
topics = payment
kpi.csat = csat >= 80% amber 5%

[nightly]
period = previous_month
time_zone = UTC
min_sample = 3
; bands far below the journey's NPS target, so a touchpoint coloured by
; them would be green where the journey says red
nps_green = -50
nps_amber = -100
INI

# check-config validates department topics against the taxonomy: the
# topics list is reported where its section starts (the line of its first
# key, as for every section error), a KPI at its own line.
check_bad() { # sed-expression line-pattern topic
    sed -e "$1" "$cfg" > "$scratch/bad.ini"
    local line; line=$(grep -n -m1 -- "$2" "$scratch/bad.ini" | cut -d: -f1)
    out=$("$bin" check-config --config "$scratch/bad.ini" 2>&1)
    expect_eq "check-config refuses $3" "$?" 2
    expect_match "error names file, line and section ($3)" "$out" \
        "bad.ini:$line: .*\\[department.product\\].*\"$3\", which is not a topic of the taxonomy"
}
check_bad 's/^topics = price, product_quality, app_bugs,/topics = price, product_quality, app_bugs, app_crashes,/' \
    '^name = Product' app_crashes
check_bad 's/^kpi.bugs = topic.negative(app_bugs)/kpi.bugs = topic.negative(app_bug)/' \
    '^kpi.bugs' app_bug
out=$("$bin" check-config --config "$cfg" 2>&1); expect_eq "check-config accepts the test config" "$?" 0

fresh_db depts "$here/fixtures/depts.sql"
out=$("$bin" init-db --config "$cfg" 2>&1); expect_eq "init-db" "$?" 0

run() { # as-of -> run id
    "$bin" run --config "$cfg" --job nightly --as-of "$1" >/dev/null 2>"$scratch/err" ||
        { tail -3 "$scratch/err" >&2; echo 0; return; }
    last_run
}
run_id=$(run 2026-10-01)
expect_match "run succeeded" "$run_id" '^[1-9]'

kpi() { sql "SELECT coalesce(value::text, 'NULL') || ' ' || coalesce(n::text, 'NULL') || ' ' || coalesce(flag, 'NULL') FROM vocreport.kpi_values WHERE run_id = $run_id AND code = '$1' AND dims = '$2'"; }
kpir() { sql "SELECT coalesce(round(value::numeric, 4)::text, 'NULL') || ' ' || coalesce(n::text, 'NULL') || ' ' || coalesce(flag, 'NULL') FROM vocreport.kpi_values WHERE run_id = $run_id AND code = '$1' AND dims = '$2'"; }

ref=$("$py" "$here/reference_depts.py" --db "$PGDATABASE" --run-id "$run_id" --config "$cfg" 2>&1)
status=$?
expect_eq "reference_depts.py agrees" "$status" 0
[ "$status" = 0 ] || printf '%s\n' "$ref" | tail -20
echo "depts: $(printf '%s\n' "$ref" | tail -1)"
findings_ref() { # what: the ranked findings of $run_id against reference_findings.py
    ref=$("$py" "$here/reference_findings.py" --db "$PGDATABASE" --run-id "$run_id" --config "$cfg" 2>&1)
    expect_eq "reference_findings.py agrees ($1)" "$?" 0 || printf '%s\n' "$ref" | tail -20
    echo "$1: $(printf '%s\n' "$ref" | tail -1)"
}
findings_ref "first run"
# By hand (decisions.md "Findings by what they are worth"): LTV promoter
# 181.82, passive 0, detractor 0, ltv_all 23.33.  Two promoters turned
# passive, one at a logistics and one at a customer service touchpoint:
# 181.82 each, none left for the company's own candidate; two of the three
# newly churned had been satisfied: 2 x 23.33.  Detractor and passive are
# worth the same here, so NPS changes, declines and the departments that
# missed targets are worth 0 and follow by kind, then dims.
expect_eq "promoter turned passive, logistics, worth" "$(kpir finding.money 'department=logistics;finding=promoter_to_passive')" "181.8182 NULL NULL"
expect_eq "no company-wide promoter slip left" "$(kpi finding.money finding=promoter_to_passive)" ""
expect_eq "satisfied customers who left, worth" "$(kpir finding.score finding=satisfied_churned)" "46.6667 NULL NULL"
expect_eq "the best three" "$(sql "SELECT string_agg(dims, ' | ' ORDER BY value) FROM vocreport.kpi_values WHERE run_id = $run_id AND code = 'finding.rank' AND value <= 3")" \
    "department=customer_service;finding=promoter_to_passive | department=logistics;finding=promoter_to_passive | finding=satisfied_churned"
expect_eq "a delivery NPS drop is logistics'" "$(kpi finding.score 'finding=nps_drop;touchpoint=delivery')" "0 NULL owner=logistics"
expect_eq "the company's decline is its NPS drop, not listed twice" "$(kpi finding.score finding=nps_decline)" ""
expect_eq "customer service missed targets too" "$(kpi finding.rank 'department=customer_service;finding=dept_missed')" "10 NULL NULL"

# SLA: exactly 24 h is within, a response after T has not happened, a case
# closed after T is still open, the unconfigured and NULL departments count.
expect_eq "red answered 24h, logistics" "$(kpir sla.first_response_24h department=logistics)" "0.3333 3 NULL"
expect_eq "closed 48h, logistics" "$(kpir sla.closed_48h department=logistics)" "0.4000 5 NULL"
expect_eq "open over 72h, logistics" "$(kpir sla.open_over_72h department=logistics)" "0.6000 5 NULL"
expect_eq "red answered overall" "$(kpir sla.first_response_24h '')" "0.4000 5 NULL"
expect_eq "closed 48h overall" "$(kpir sla.closed_48h '')" "0.4444 9 NULL"
expect_eq "unconfigured department" "$(kpir sla.open_over_72h department=returns_desk)" "1.0000 1 NULL"
expect_eq "NULL department is unknown" "$(kpir sla.closed_48h department=unknown)" "1.0000 1 NULL"
expect_eq "configured department without cases: none counted" "$(kpi sla.closed_48h department=billing)" "NULL 0 no_sample"

# Journey: configured order, then the others alphabetically; colours.
# The figures CSV lists figures in the model's order.
csv=$(ls "$scratch"/reports/nightly/2026-10-01/*-figures.csv)
order=$(grep -o ',journey\.nps,touchpoint=[^,]*' "$csv" | sed 's/.*touchpoint=//' | tr '\n' ',')
expect_eq "journey touchpoints in order" "$order" "purchase,delivery,onboarding,after_sales,app,web,"
expect_eq "journey nps delivery red" "$(kpi journey.status 'metric=nps;touchpoint=delivery')" "0 NULL red"
expect_eq "journey nps purchase green, low sample" "$(kpi journey.status 'metric=nps;touchpoint=purchase')" "2 NULL green,low_sample"
expect_eq "journey csat after_sales amber at the edge" "$(kpi journey.status 'metric=csat;touchpoint=after_sales')" "1 NULL amber"
expect_eq "journey onboarding grey" "$(kpi journey.status 'metric=nps;touchpoint=onboarding')" "NULL NULL grey,low_sample"
expect_eq "journey negative share delivery" "$(kpi journey.negative_share touchpoint=delivery)" "0.75 4 NULL"
expect_eq "journey negative share purchase green" "$(kpi journey.status 'metric=negative_share;touchpoint=purchase')" "2 NULL green"

# One source for every light: the Scores sheet fills each touchpoint's NPS
# with the colour of its journey.status (the journey's target), not with
# the company bands; the Summary's NPS by the bands (30, 0 by default).
sql "SELECT split_part(dims, 'touchpoint=', 2) || ' ' || coalesce(split_part(flag, ',', 1), 'grey') FROM vocreport.kpi_values WHERE run_id = $run_id AND code = 'journey.status' AND dims LIKE 'metric=nps;%'" > "$scratch/journey_lights"
lights=$("$py" - "$scratch/reports/nightly/2026-10-01/nightly-2026-10-01-executive.xlsx" "$scratch/journey_lights" "$top/templates" <<'PY'
import sys
sys.path.insert(0, sys.argv[3] + "/../tests")
import openpyxl, check_workbook as cw, workbook_i13 as w
t = cw.load_texts(sys.argv[3], "en_US")
want = dict(line.split() for line in open(sys.argv[2]))
ws = openpyxl.load_workbook(sys.argv[1])[t["sheet.scores"]]
hdr = next(c.row for c in ws["A"] if c.value == t["scores.dimension"])
col = {c.value: c.column for c in ws[hdr]}[t["scores.nps"]]
# as texts_dim_label names a code: the template's name, else the code with
# spaces and a capital
names = {t.get("touchpoint." + tp, tp[:1].upper() + tp[1:].replace("_", " ")): tp for tp in want}
for r in range(hdr + 1, ws.max_row + 1):
    if ws.cell(r, 1).value == t["dims.touchpoint"]:
        tp = names.get(ws.cell(r, 2).value, ws.cell(r, 2).value)
        print(tp, w.fill_word(ws.cell(r, col)), want.get(tp, "grey"))
PY
)
expect_match "Scores: touchpoint lights read back" "$lights" '^purchase '
expect_eq "Scores: each touchpoint's NPS in its journey colour" "$(awk '$2 != $3' <<<"$lights")" ""
expect_match "Scores: delivery red by the journey target (the bands would not)" "$lights" 'delivery red red'

# Department scorecards: every colour, both directions, the amber edges.
expect_eq "logistics nps red" "$(kpi dept.kpi.status 'department=logistics;kpi=nps')" "0 NULL red"
expect_eq "logistics nps actual" "$(kpi dept.kpi.actual 'department=logistics;kpi=nps')" "-72 25 NULL"
expect_eq "logistics ces green at the target" "$(kpi dept.kpi.status 'department=logistics;kpi=ces')" "2 NULL green,low_sample"
expect_eq "late deliveries amber at the edge (lower is better)" "$(kpi dept.kpi.status 'department=logistics;kpi=late')" "1 NULL amber"
expect_eq "late deliveries actual" "$(kpi dept.kpi.actual 'department=logistics;kpi=late')" "4 5 NULL"
expect_eq "service nps amber at the edge" "$(kpi dept.kpi.status 'department=customer_service;kpi=nps')" "1 NULL amber"
expect_eq "service open cases red (lower is better)" "$(kpi dept.kpi.status 'department=customer_service;kpi=open')" "0 NULL red"
expect_eq "service red answered green" "$(kpi dept.kpi.status 'department=customer_service;kpi=red')" "2 NULL green"
expect_eq "product bugs green (lower is better)" "$(kpi dept.kpi.status 'department=product;kpi=bugs')" "2 NULL green"
expect_eq "product ces NULL is grey" "$(kpi dept.kpi.status 'department=product;kpi=ces')" "NULL NULL grey,low_sample"
expect_eq "target flag" "$(kpi dept.kpi.target 'department=product;kpi=bugs')" "1 NULL lower_is_better"
expect_eq "amber margin" "$(kpi dept.kpi.amber 'department=logistics;kpi=closed')" "0.1 NULL NULL"

# Warnings and the satisfaction gap.
expect_eq "overall NPS drop significant" "$(kpi warn.nps_decline '')" "1 36 significant_drop"
expect_eq "logistics NPS drop significant" "$(kpi warn.nps_decline department=logistics)" "1 25 significant_drop"
expect_eq "service NPS fell three periods" "$(kpi warn.nps_decline department=customer_service)" "1 4 three_periods"
expect_eq "billing NPS rose" "$(kpi warn.nps_decline department=billing)" "0 2 NULL"
expect_eq "product no NPS: none counted" "$(kpi warn.nps_decline department=product)" "NULL 0 no_sample"
expect_eq "promoters turned passive" "$(kpi warn.promoter_to_passive '')" "2 23 NULL"
expect_eq "promoters turned passive, logistics" "$(kpi warn.promoter_to_passive department=logistics)" "1 21 NULL"
expect_eq "promoters turned passive, service" "$(kpi warn.promoter_to_passive department=customer_service)" "1 1 NULL"
expect_eq "satisfied customers still leave" "$(kpir gap.satisfied_churned '')" "0.6667 3 NULL"

# History by period, in the first run already (no earlier run exists): the
# previous value is August's, with August's dates; the twelve months from
# October 2025 to September 2026 (fixture: service NPS 100 in June, 50 in
# July, 1 of 3 in August, -25 this month; nothing before June).
expect_eq "first run: previous is August's, with its dates" "$(kpi dept.kpi.previous 'department=logistics;kpi=nps')" \
    "100 21 period=2026-08-01/2026-08-31"
expect_eq "previous low sample, with its dates" "$(kpir dept.kpi.previous 'department=customer_service;kpi=nps')" \
    "33.3333 3 period=2026-08-01/2026-08-31"
hist() { # dims -> "period value" lines, oldest first
    sql "SELECT substring(dims from 'period=(.*)') || ' ' || coalesce(round(value::numeric, 2)::text, 'NULL') FROM vocreport.kpi_values WHERE run_id = $run_id AND code = 'dept.kpi.actual' AND dims LIKE '$1;period=%' ORDER BY dims"
}
trend=$(hist 'department=customer_service;kpi=nps')
expect_eq "twelve periods" "$(grep -c . <<<"$trend")" 12
expect_eq "from October 2025" "$(head -1 <<<"$trend")" "2025-10-01 NULL"
expect_eq "June to September" "$(tail -4 <<<"$trend" | tr '\n' ' ')" "2026-06-01 100.00 2026-07-01 50.00 2026-08-01 33.33 2026-09-01 -25.00 "
expect_eq "the run's own period is its actual" "$(kpi dept.kpi.actual 'department=customer_service;kpi=nps;period=2026-09-01')" \
    "-25 4 NULL"
expect_eq "an SLA's history, as known at August's end" "$(kpi dept.kpi.actual 'department=logistics;kpi=closed;period=2026-08-01')" "0 1 NULL"
ref=$("$py" "$here/reference.py" --db "$PGDATABASE" --run-id "$run_id" 2>&1)
expect_eq "reference.py agrees (company histories)" "$?" 0 || printf '%s\n' "$ref" | tail -5
expect_eq "journey target for the trend lines" "$(kpi journey.target metric=nps)" "30 NULL higher_is_better"
expect_eq "journey amber margin" "$(kpi journey.amber metric=csat)" "0.05 NULL NULL"

# Nightly runs on 2, 3 October report September too: previous stays
# August's (not the report of the night before), the history the same.
first=$run_id
for day in 02 03; do
    run_id=$(run 2026-10-$day)
    expect_match "nightly 2026-10-$day" "$run_id" '^[1-9]'
    expect_eq "nightly 2026-10-$day: previous is still August's" "$(kpi dept.kpi.previous 'department=logistics;kpi=nps')" \
        "100 21 period=2026-08-01/2026-08-31"
    expect_eq "nightly 2026-10-$day: the same history" "$(hist 'department=customer_service;kpi=nps')" "$trend"
done
ref=$("$py" "$here/reference_depts.py" --db "$PGDATABASE" --run-id "$run_id" --config "$cfg" 2>&1)
expect_eq "reference_depts.py agrees on a re-run" "$?" 0 || printf '%s\n' "$ref" | tail -5

# A backfill of 2026-08-01 (July) reproduces the history: its actual is the
# July point of the first run, its previous June's.
run_id=$(run 2026-08-01)
expect_match "backfill" "$run_id" '^[1-9]'
expect_eq "backfill previous is June's" "$(kpi dept.kpi.previous 'department=customer_service;kpi=nps')" \
    "100 1 period=2026-06-01/2026-06-30,low_sample"
expect_eq "backfill actual is July's" "$(kpi dept.kpi.actual 'department=customer_service;kpi=nps')" "50 2 low_sample"
expect_eq "backfill history = the first run's, up to July" \
    "$(sql "SELECT string_agg(code || ' ' || dims || ' ' || coalesce(value::text, 'NULL') || ' ' || n, ',' ORDER BY code, dims) FROM vocreport.kpi_values WHERE run_id = $run_id AND dims LIKE '%period=%' AND code <> 'topic.negative_history' AND substring(dims from 'period=(.*)') >= '2025-10-01'")" \
    "$(sql "SELECT string_agg(code || ' ' || dims || ' ' || coalesce(value::text, 'NULL') || ' ' || n, ',' ORDER BY code, dims) FROM vocreport.kpi_values WHERE run_id = $first AND dims LIKE '%period=%' AND code <> 'topic.negative_history' AND substring(dims from 'period=(.*)') <= '2026-07-01'")"
ref=$("$py" "$here/reference_depts.py" --db "$PGDATABASE" --run-id "$run_id" --config "$cfg" 2>&1)
expect_eq "reference_depts.py agrees on the backfill" "$?" 0 || printf '%s\n' "$ref" | tail -5
findings_ref "backfill"

# month_to_date: the history's periods are each month's first days, with
# gaps between them (2026-08-16 to 08-31 holds the twenty responses of
# 08-20): a row in a gap counts in no period.  journey_counts.sql places
# rows among all the periods' bounds at once; the reference, period by
# period.
sed 's/^period = previous_month/period = month_to_date/' "$cfg" > "$scratch/mtd.ini"
"$bin" run --config "$scratch/mtd.ini" --job nightly --as-of 2026-09-16 >/dev/null 2>"$scratch/err" ||
    tail -3 "$scratch/err" >&2
run_id=$(last_run)
expect_match "month_to_date: August's part scores 08-08's response, not 08-20's twenty" \
    "$(kpi dept.kpi.actual 'department=logistics;kpi=nps;period=2026-08-01')" '^100 1 '
ref=$("$py" "$here/reference_depts.py" --db "$PGDATABASE" --run-id "$run_id" --config "$scratch/mtd.ini" 2>&1)
expect_eq "reference_depts.py agrees on month_to_date" "$?" 0 || printf '%s\n' "$ref" | tail -5
finish
