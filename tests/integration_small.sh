#!/usr/bin/env bash
# The hand-made fixtures through the real program and the real PostgreSQL,
# every figure compared with the independent implementation (reference.py)
# and the headline figures with the hand calculation (small_expected.txt).
. "$(dirname "$0")/lib.sh"

cfg=$scratch/vocreport.ini
# The fixtures are deliberately dirty (60 % of some tables): lift the limit.
make_config "$cfg" 's/^max_rejected_share = .*/max_rejected_share = 1/' 's/^min_sample = .*/min_sample = 5/'

for fixture in small edge; do
    fresh_db "$fixture" "$here/fixtures/$fixture.sql"
    out=$("$bin" init-db --config "$cfg" 2>&1); expect_eq "$fixture init-db" "$?" 0
    out=$("$bin" init-db --config "$cfg" 2>&1); expect_match "$fixture init-db again" "$out" 'is up to date'
    "$bin" run --config "$cfg" --job nightly --as-of 2026-10-01 >"$scratch/out" 2>"$scratch/err"
    expect_eq "$fixture run status" "$?" 0
    run_id=$(last_run)
    expect_eq "$fixture run recorded" "$(sql "SELECT status FROM vocreport.runs WHERE run_id = $run_id")" succeeded
    expect_args=()
    [ "$fixture" = small ] && expect_args=(--expect "$here/fixtures/small_expected.txt")
    ref=$("$py" "$here/reference.py" --db "$PGDATABASE" --run-id "$run_id" "${expect_args[@]}" 2>&1)
    status=$?
    expect_eq "$fixture reference.py agrees" "$status" 0
    [ "$status" = 0 ] || printf '%s\n' "$ref" | tail -20
    echo "$fixture: $(printf '%s\n' "$ref" | tail -1)"
    # The programme's cost, recorded without any experiment (reference_experiments.py).
    ref=$("$py" "$here/reference_experiments.py" --db "$PGDATABASE" --run-id "$run_id" 2>&1)
    expect_eq "$fixture reference_experiments.py agrees (roi.cost)" "$?" 0 || printf '%s\n' "$ref" | tail -10
done
# By hand: the trailing year October 2025 - September 2026 holds every
# cost row of small.sql: 1000 + 1000 + 250 + 120.
export PGDATABASE=vrt_small
roi() { sql "SELECT coalesce(value::text, 'NULL') FROM vocreport.kpi_values WHERE run_id = 1 AND code = '$1' AND dims = '$2'"; }
expect_eq "roi.cost without an experiment" "$(roi roi.cost '')" 2370
expect_eq "roi.cost, people in August" "$(roi roi.cost 'category=people;month=2026-08-01')" 1000
expect_eq "no ROI without an experiment" "$(roi roi.value '')" ""

# Every period rule, resolved in the job's time zone; reference.py
# recomputes each period with zoneinfo and checks the runs row. The week
# of 2026-10-19 and the 7 days before 2026-10-27 cross the end of DST in
# Berlin (25 October): 169-hour periods.
export PGDATABASE=vrt_small
for rule in "month_to_date 2026-10-15" "previous_week 2026-10-28" "trailing_days 2026-10-27"; do
    set -- $rule
    pcfg=$scratch/$1.ini
    sed "s/^period = .*/period = $1/" "$cfg" > "$pcfg"
    [ "$1" = trailing_days ] && sed -i 's/^period = trailing_days/period = trailing_days\ntrailing_days = 7/' "$pcfg"
    "$bin" run --config "$pcfg" --job nightly --as-of "$2" >/dev/null 2>"$scratch/err"
    expect_eq "$1 run" "$?" 0
    run_id=$(last_run)
    ref=$("$py" "$here/reference.py" --db "$PGDATABASE" --run-id "$run_id" 2>&1)
    expect_eq "$1: reference.py agrees (period and figures)" "$?" 0
    printf '%s\n' "$ref" | tail -3
done
expect_eq "previous_week period" "$(PGTZ=Europe/Berlin sql "SELECT period_start || ' ' || period_end || ' ' || (period_end - period_start) FROM vocreport.runs WHERE parameters->>'period' = 'previous_week'")" \
    "2026-10-19 00:00:00+02 2026-10-26 00:00:00+01 7 days 01:00:00"
expect_eq "month_to_date period" "$(PGTZ=Europe/Berlin sql "SELECT period_start || ' ' || period_end || ' ' || prior_start || ' ' || prior_end FROM vocreport.runs WHERE parameters->>'period' = 'month_to_date'")" \
    "2026-10-01 00:00:00+02 2026-10-15 00:00:00+02 2026-09-01 00:00:00+02 2026-09-15 00:00:00+02"

# On small.sql the counts in runs.rejected_rows equal the dq.rejected figures.
export PGDATABASE=vrt_small
expect_eq "runs.rejected_rows matches kpi_values" "$(sql "
    SELECT count(*) FROM vocreport.runs r
    CROSS JOIN LATERAL jsonb_each(r.rejected_rows) t(tab, reasons)
    CROSS JOIN LATERAL jsonb_each_text(t.reasons) x(reason, cnt)
    JOIN vocreport.kpi_values k ON k.run_id = 1 AND k.code = 'dq.rejected'
         AND k.dims = 'reason=' || x.reason || ';table=' || t.tab AND k.value = x.cnt::float8
    WHERE r.run_id = 1")" "$(sql "SELECT count(*) FROM vocreport.kpi_values WHERE run_id = 1 AND code = 'dq.rejected'")"
expect_eq "orders orphans in runs" "$(sql "SELECT rejected_rows->'orders'->>'orphan' FROM vocreport.runs WHERE run_id = 1")" 2
expect_eq "period recorded" "$(PGTZ=Europe/Berlin sql "SELECT period_start || ' ' || period_end FROM vocreport.runs WHERE run_id = 1")" \
    "2026-09-01 00:00:00+02 2026-10-01 00:00:00+02"
expect_eq "parameters recorded" "$(sql "SELECT parameters->>'churn_rule' || ',' || (parameters->>'min_sample') || ',' || (parameters->>'period') FROM vocreport.runs WHERE run_id = 1")" \
    "explicit,5,previous_month"

# The published reports of the small run, read back as a user would: the
# workbook by openpyxl and LibreOffice (formulas recalculated = cached
# values), the briefing by qpdf and pdftotext, in both locales.
for locale in en_US zh_CN; do
    sed -i "s/^locale = .*/locale = $locale/" "$cfg"
    "$bin" run --config "$cfg" --job nightly --as-of 2026-10-01 >/dev/null 2>"$scratch/err"
    expect_eq "small run $locale" "$?" 0
    run_id=$(last_run)
    folder=$VOCREPORT_OUTPUT_DIR/nightly/2026-10-01
    out=$("$py" "$here/check_workbook.py" "$folder/nightly-2026-10-01-executive.xlsx" --libreoffice 2>&1)
    expect_eq "workbook reads back ($locale)" "$?" 0
    printf '%s\n' "$out" | tail -2
    sql "COPY (SELECT code, dims, coalesce(value::text, ''), coalesce(n::text, ''), coalesce(flag, '') FROM vocreport.kpi_values WHERE run_id = $run_id) TO STDOUT" > "$scratch/db.tsv"
    out=$("$py" "$here/check_figures_csv.py" "$folder/nightly-2026-10-01-figures.csv" "$scratch/db.tsv" 2>&1)
    expect_eq "figures CSV: BOM, money to the cent, the rest exact ($locale)" "$?" 0 || printf '%s\n' "$out" | tail -5
    pdf=$folder/nightly-2026-10-01-briefing.pdf
    qpdf --check "$pdf" >/dev/null 2>&1; expect_eq "qpdf --check ($locale)" "$?" 0
    pages=$(pdfinfo "$pdf" 2>/dev/null | awk '/^Pages:/ { print $2 }')
    [ "$pages" -ge 1 ] && [ "$pages" -le 2 ] && ok || bad "briefing has $pages pages"
    text=$(pdftotext -layout "$pdf" - 2>/dev/null)
    nps=$(sql "SELECT round(value::numeric, 1) FROM vocreport.kpi_values WHERE run_id = $run_id AND code = 'nps' AND dims = ''")
    # an empty $nps would make the next pattern match any text
    expect_match "run $run_id has an NPS ($locale)" "$nps" '^-?[0-9]+\.[0-9]$'
    expect_match "briefing shows NPS $nps ($locale)" "$text" "(^|[^0-9.])$nps([^0-9]|$)"
    # Customer words stay as written, whatever the locale.
    expect_match "Chinese verbatim ($locale)" "$text" '退款太慢了'
    if [ "$locale" = zh_CN ]; then expect_match "Chinese labels" "$text" '推荐者'
    else expect_match "English labels" "$text" 'Promoters'; fi
    # Key findings: the best five ranked findings with money, in rank order,
    # each with its owner (the department's name in the config, in the
    # locale when it has one; none: the executives); those worth n/a are left out.
    plain=$(pdftotext -enc UTF-8 "$pdf" - 2>/dev/null | tr -s '[:space:]' ' ')
    owners=$(sql "SELECT coalesce(substring(s.flag from 'owner=(.*)'), '-')
                  FROM vocreport.kpi_values s
                  JOIN vocreport.kpi_values r ON r.run_id = s.run_id AND r.dims = s.dims AND r.code = 'finding.rank'
                  JOIN vocreport.kpi_values mo ON mo.run_id = s.run_id AND mo.dims = s.dims AND mo.code = 'finding.money'
                  WHERE s.run_id = $run_id AND s.code = 'finding.score' AND s.value IS NOT NULL AND mo.value IS NOT NULL
                  ORDER BY r.value LIMIT 5")
    n_owners=$(printf '%s\n' "$owners" | grep -c .)
    [ "$n_owners" -ge 1 ] && ok || bad "small run $locale: no ranked finding with money to show"
    glob="" label="Owner: " none="Executives" stake="at stake"
    [ "$locale" = zh_CN ] && label="负责：" none="管理层" stake="涉及约"
    for o in $owners; do
        name=$none
        # name.<locale> when the config has one, else name.
        [ "$o" = - ] || name=$(awk -v s="[department.$o]" -v k="name.$locale" '
            $0 == s { f = 1; next } /^\[/ { f = 0 }
            f && $1 == "name" { n = $0; sub(/^name *= */, "", n) }
            f && $1 == k { l = $0; sub(/^[^=]*= */, "", l) }
            END { print (l != "" ? l : n) }' "$cfg")
        glob="$glob*$label$name ·"
    done
    # shellcheck disable=SC2254
    case "$plain" in *$glob*) ok ;; *) bad "small run $locale: findings' owners not in rank order ($glob)" ;; esac
    expect_eq "small run $locale: as many findings as ranked with money" \
        "$(printf '%s\n' "$plain" | grep -o "$stake" | wc -l)" "$n_owners"
    # The outline names the sections; the document says its language.
    read -r lang outline < <(qpdf --json "$pdf" | "$py" -c '
import json, sys
j = json.load(sys.stdin)
o = j["qpdf"][1]
root = o["obj:" + o["trailer"]["value"]["/Root"]]["value"]
print(root.get("/Lang", "none").removeprefix("u:"), len(j["outlines"]))')
    expect_eq "small run $locale: /Lang" "$lang" "${locale/_/-}"
    [ "${outline:-0}" -ge 5 ] && ok || bad "small run $locale: ${outline:-no} bookmarks"
done
finish
