#!/usr/bin/env bash
# A company's own configuration through the real program: its own
# touchpoint, channel and segment codes named per locale in the config
# ([touchpoint.*], [channel.*], [segment.*]) show those names in the Chinese
# and the English workbook, briefing and department pack; a configured
# touchpoint, topic or department without data in the period is a warning
# in the log and a line on the Data quality sheet (read back with
# openpyxl).  The hand-made data below decide what has data: the expected
# notes are written here from it, not from the run.
. "$(dirname "$0")/lib.sh"

# September 2026 in Berlin (as-of 2026-10-01, previous_month).  Survey
# answers at first_payment (the company's own code; billing owns it), at
# delivery and at purchase; none at onboarding, after_sales or renewal.  One
# own-brand feedback row, tagged late_delivery upstream: the only topic
# mentioned.  No case.
cat > "$scratch/company.sql" <<'SQL'
INSERT INTO voc.customers (customer_id, segment, region, acquired_at) VALUES
 (1, 'smb', 'north', '2025-01-10'), (2, 'smb', 'north', '2025-02-01'),
 (3, 'smb', 'south', '2025-03-15'), (4, 'retail', 'south', '2025-04-01'),
 (5, 'retail', 'east', '2025-05-20'), (6, 'retail', 'east', '2025-06-01');
INSERT INTO voc.survey_responses VALUES
 (101, 1, '2026-09-03 10:00+02', 'first_payment', 'wechat', 9, 5, 6),
 (102, 2, '2026-09-04 10:00+02', 'first_payment', 'wechat', 10, 4, 7),
 (103, 3, '2026-09-05 10:00+02', 'first_payment', 'wechat', 3, 2, 2),
 (104, 4, '2026-09-06 10:00+02', 'first_payment', 'email', 8, 4, 5),
 (105, 5, '2026-09-07 10:00+02', 'delivery', 'email', 6, 3, 4),
 (106, 6, '2026-09-08 10:00+02', 'delivery', 'email', 9, 5, 6),
 (107, 1, '2026-09-09 10:00+02', 'purchase', 'app', 7, 4, 5);
INSERT INTO voc.feedback VALUES
 (201, 5, 105, '2026-09-07 10:05+02', 'survey', NULL, 'The parcel came a week late.',
  'late_delivery', -0.8);
SQL
fresh_db company "$scratch/company.sql"

cfg=$scratch/vocreport.ini
make_config "$cfg" 's/^max_rejected_share = .*/max_rejected_share = 1/' 's/^min_sample = .*/min_sample = 1/' \
    's/^gate_[a-z_]* = .*//' 's/^locale = .*/locale = zh_CN/' \
    's/^touchpoints = purchase, delivery, onboarding, after_sales$/&, first_payment/' \
    's/^touchpoints = purchase$/touchpoints = purchase, first_payment/' \
    's/^kpi.late_complaints = .*/&\nkpi_name.late_complaints = Late-delivery complaints\nkpi_name.late_complaints.zh_CN = 迟到投诉/'
cat >> "$cfg" <<'INI'

[touchpoint.first_payment]
name = Initial payment
name.zh_CN = 首次付款

[touchpoint.renewal]
name.zh_CN = 续约

[channel.wechat]
name = WeChat
name.zh_CN = 微信

[segment.smb]
name = Small business
name.zh_CN = 小微企业

[nightly_en]
period = previous_month
time_zone = Europe/Berlin
locale = en_US
min_sample = 1
max_rejected_share = 1
INI
out=$("$bin" check-config --config "$cfg" 2>&1); expect_eq "check-config" "$?" 0 || echo "$out"
out=$("$bin" init-db --config "$cfg" 2>&1); expect_eq "init-db" "$?" 0

for job in nightly nightly_en; do
    "$bin" run --config "$cfg" --job $job --as-of 2026-10-01 >"$scratch/$job.out" 2>"$scratch/$job.err"
    expect_eq "$job run status" "$?" 0 || tail -5 "$scratch/$job.err"
done
zh=$(head -1 "$scratch/nightly.out")
en=$(head -1 "$scratch/nightly_en.out")

# Every cell of a workbook, one per line.
cells() {
    "$py" - "$1" <<'PY'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1], data_only=True)
for ws in wb.worksheets:
    for row in ws.iter_rows(values_only=True):
        for v in row:
            if isinstance(v, str):
                print(v)
PY
}
# The lines under the Data quality sheet's "configured but without data"
# title (its text given), one per line.
notes() {
    "$py" - "$1" "$2" <<'PY'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1], data_only=True)
title = sys.argv[2]
for ws in wb.worksheets:
    col = [r[0] for r in ws.iter_rows(min_col=1, max_col=1, values_only=True)]
    if title in col:
        for v in col[col.index(title) + 1:]:
            if v:
                print(v)
PY
}

# The company's names, in the job's locale, wherever the code shows.
book=$(cells "$zh/nightly-2026-10-01-executive.xlsx")
expect_match "zh workbook: touchpoint name" "$book" '^首次付款$'
expect_match "zh workbook: channel name" "$book" '^微信$'
expect_match "zh workbook: segment name" "$book" '^小微企业$'
expect_no_match "zh workbook: no code or English name shown for them" "$book" \
    '^(first_payment|First payment|Initial payment|wechat|Wechat|WeChat|smb|Smb|Small business)$'
brief=$(pdftotext -layout "$zh/nightly-2026-10-01-briefing.pdf" - 2>/dev/null)
expect_match "zh briefing: touchpoint name" "$brief" '首次付款'
# Departments by their name.zh_CN (config/vocreport.ini) in every output.
expect_match "zh workbook: department names" "$book" '^物流$'
expect_match "zh workbook: billing's name" "$book" '^账务$'
expect_no_match "zh workbook: no English department name" "$book" '^(Logistics|Billing|Product|Customer service)$'
expect_match "zh briefing: department names" "$brief" '物流 +净推荐值|账务 +满意度'
expect_no_match "zh briefing: no English department name" "$brief" 'Logistics|Billing|Customer service'
expect_no_match "zh briefing: no English name" "$brief" 'Initial payment|First payment|first_payment'
# A KPI by the company's own name for it (kpi_name.NAME.zh_CN), wherever a
# KPI is named; only in its own department's pack.
expect_match "zh workbook: the KPI's own name" "$book" '^迟到投诉$'
expect_match "zh briefing: the KPI's own name" "$brief" '迟到投诉'
lpack=$zh/dept-logistics/nightly-2026-10-01-dept-logistics
expect_match "zh logistics workbook: the KPI's own name" "$(cells "$lpack.xlsx")" '^迟到投诉$'
expect_match "zh logistics scorecard: the KPI's own name" \
    "$(pdftotext -layout "$lpack.pdf" - 2>/dev/null)" '迟到投诉'
expect_no_match "zh billing pack: not logistics' KPI" \
    "$(cells "$zh/dept-billing/nightly-2026-10-01-dept-billing.xlsx")" '迟到投诉'
pack=$zh/dept-billing/nightly-2026-10-01-dept-billing
expect_match "zh billing workbook: its touchpoint's name" "$(cells "$pack.xlsx")" '^首次付款$'
expect_match "zh billing scorecard: its touchpoint's name" \
    "$(pdftotext -layout "$pack.pdf" - 2>/dev/null)" '首次付款'
expect_match "zh billing scorecard: its department's name" \
    "$(pdftotext -layout "$pack.pdf" - 2>/dev/null)" '账务'
expect_no_match "zh billing scorecard: not its English name" \
    "$(pdftotext -layout "$pack.pdf" - 2>/dev/null)" 'Billing'
expect_no_match "zh logistics pack: not billing's touchpoint" \
    "$(cells "$zh/dept-logistics/nightly-2026-10-01-dept-logistics.xlsx")" '首次付款'

book_en=$(cells "$en/nightly_en-2026-10-01-executive.xlsx")
expect_match "en workbook: the config's name" "$book_en" '^Initial payment$'
expect_match "en workbook: channel name" "$book_en" '^WeChat$'
expect_match "en workbook: segment name" "$book_en" '^Small business$'
expect_match "en workbook: a department's name without name.en_US" "$book_en" '^Logistics$'
expect_match "en workbook: the KPI's own name without a locale" "$book_en" '^Late-delivery complaints$'
expect_no_match "en workbook: no Chinese department name" "$book_en" '^(物流|账务)$'
expect_match "en workbook: a shipped code keeps the template's name" "$book_en" '^After-sales$'
expect_match "en briefing: touchpoint name" \
    "$(pdftotext -layout "$en/nightly_en-2026-10-01-briefing.pdf" - 2>/dev/null)" 'Initial payment'

# Configured but silent: touchpoints in config order ([journey], then the
# departments', then [touchpoint.*]), topics by department, then the
# departments without any data (customer_service and product: no answer
# at their touchpoints, no mention of their topics, no case).
want_codes='touchpoint onboarding
touchpoint after_sales
touchpoint renewal
topic refund_return
topic service_attitude
topic phone_wait
topic damaged_item
topic wrong_item
topic packaging
topic price
topic product_quality
topic app_bugs
topic reliability
topic design
topic ease_of_use
topic value_for_money
topic payment
department customer_service
department product'
log=$(cat "$scratch/nightly.err")
got=$(sed -n 's/.* WARN .* \(touchpoint\|topic\|department\) \([a-z_]*\) (configured in .*/\1 \2/p' <<<"$log")
expect_eq "warnings in the log, one per silent item" "$got" "$want_codes"
expect_match "warning names where it is configured" "$log" \
    'WARN .*touchpoint onboarding \(configured in \[journey\], \[department.product\]\) has no survey responses in the period$'
expect_match "warning for a department" "$log" \
    'WARN .*department product \(configured in \[department.product\]\) has no data in the period: no survey response at its touchpoints, no mention of its topics, no case$'

sheet=$(notes "$zh/nightly-2026-10-01-executive.xlsx" '已配置但本期没有数据')
expect_eq "zh Data quality: one line per silent item" "$(grep -c '' <<<"$sheet")" 19
expect_eq "zh Data quality: the items, in order" \
    "$(sed -n 's/^\(触点\|话题\|部门\).*（\([a-z_]*\)，配置于.*/\1 \2/p' <<<"$sheet" |
        sed 's/^触点/touchpoint/; s/^话题/topic/; s/^部门/department/')" "$want_codes"
expect_match "zh Data quality: the touchpoint's own name" "$sheet" \
    '^触点“续约”（renewal，配置于 \[touchpoint.renewal\]）本期没有调查回复。$'
expect_match "zh Data quality: a topic's label" "$sheet" \
    '^话题“商品破损”（damaged_item，配置于 \[department.logistics\]）本期没有被提及。$'
sheet_en=$(notes "$en/nightly_en-2026-10-01-executive.xlsx" 'Configured but without data in the period')
expect_match "en Data quality: no English name given, the code made readable" "$sheet_en" \
    '^Touchpoint Renewal \(renewal, configured in \[touchpoint.renewal\]\) has no survey responses in the period\.$'
expect_match "en Data quality: a shipped touchpoint's name" "$sheet_en" \
    '^Touchpoint After-sales \(after_sales, configured in \[journey\], \[department.customer_service\]\) has no survey responses in the period\.$'
expect_match "en Data quality: a department" "$sheet_en" \
    '^Department Product \(product, configured in \[department.product\]\) has no data in the period: no survey response at its touchpoints, no mention of its topics, no case\.$'
expect_no_match "heard items are not noted" "$sheet_en" '\((first_payment|delivery|late_delivery|billing|logistics),'

# A department pack never carries the company-wide notes.
expect_no_match "no note in a pack" "$(cells "$pack.xlsx")" 'configured in|配置于'

finish
