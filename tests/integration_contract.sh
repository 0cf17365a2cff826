#!/usr/bin/env bash
# The data contract, checked before anything runs: each row of
# contract_errors.tsv breaks (or bends) the source views over small.sql and
# the run must fail with exactly its message (exit 3, recorded failed,
# nothing tagged or published), or run and agree with reference.py.  Then a
# list of problems too long for one error, and the quality gates when a
# company has no orders view, or an empty one.
. "$(dirname "$0")/lib.sh"

fresh_db contract "$here/fixtures/small.sql"
psql -qX -v ON_ERROR_STOP=1 -c "ALTER SCHEMA voc RENAME TO raw" >/dev/null || exit 1
tables="customers orders churn_events survey_responses feedback customer_events cases program_costs business_metrics"
base_views() { # voc.<t> = every row and column of raw.<t>
    { echo "SET client_min_messages = warning; DROP SCHEMA IF EXISTS voc CASCADE; CREATE SCHEMA voc;"
      for t in $tables; do echo "CREATE VIEW voc.$t AS SELECT * FROM raw.$t;"; done
    } | psql -qX -v ON_ERROR_STOP=1 >/dev/null || exit 1
}
cfg=$scratch/vocreport.ini
make_config "$cfg" 's/^max_rejected_share = .*/max_rejected_share = 1/' 's/^min_sample = .*/min_sample = 5/'
"$bin" init-db --config "$cfg" >/dev/null 2>&1 || exit 1
folder=$VOCREPORT_OUTPUT_DIR/nightly/2026-10-01
run() { "$bin" run --config "$1" --job nightly --as-of 2026-10-01 >"$scratch/out" 2>"$scratch/err"; }
# Survey figures as text, to compare two runs.
survey() { sql "SELECT string_agg(code || ' ' || dims || ' ' || coalesce(value::text, 'NULL') || ' ' || coalesce(n::text, 'NULL'), ';' ORDER BY code, dims)
                FROM vocreport.kpi_values WHERE run_id = $1 AND code IN ('nps', 'nps_n', 'csat', 'ces', 'nps_prior', 'promoters', 'detractors')"; }

while IFS=$'\t' read -r name want_status edits setup message; do
    case $name in \#*|'') continue ;; esac
    base_views
    psql -qX -v ON_ERROR_STOP=1 -c "$setup" >/dev/null || { bad "$name: the setup SQL failed"; continue; }
    rcfg=$scratch/$name.ini
    cp "$cfg" "$rcfg"
    [ "$edits" != - ] && sed -i "$edits" "$rcfg"
    tags=$(sql "SELECT count(*) FROM vocreport.feedback_tags")
    run "$rcfg"
    expect_eq "$name: exit status" "$?" "$want_status" || tail -3 "$scratch/err"
    run_id=$(last_run)
    if [ "$want_status" != 0 ]; then
        expect_eq "$name: the message" "$(sql "SELECT error FROM vocreport.runs WHERE run_id = $run_id")" \
            "${message//\{config\}/$rcfg}"
        expect_match "$name: the message in the log" "$(cat "$scratch/err")" 'ERROR run=[0-9]+ job=nightly failed: the source'
        expect_eq "$name: recorded failed" "$(sql "SELECT status FROM vocreport.runs WHERE run_id = $run_id")" failed
        expect_eq "$name: checked before tagging" "$(sql "SELECT count(*) FROM vocreport.feedback_tags")" "$tags"
        if [ -e "$folder" ]; then bad "$name: a report was published"; else ok; fi
        continue
    fi
    ref=$("$py" "$here/reference.py" --db "$PGDATABASE" --run-id "$run_id" 2>&1)
    expect_eq "$name: reference.py agrees" "$?" 0 || printf '%s\n' "$ref" | tail -5
    case $name in
    wider_types) wider_run=$run_id ;;
    survey_only)
        expect_eq "survey_only: revenue not measured" \
            "$(sql "SELECT coalesce(value::text, 'NULL') || ' ' || coalesce(n::text, 'NULL') || ' ' || flag FROM vocreport.kpi_values WHERE run_id = $run_id AND code = 'class.revenue' AND dims = 'class=promoter'")" \
            "NULL NULL no_orders"
        expect_eq "survey_only: absent views in no source count" \
            "$(sql "SELECT string_agg(k, ',' ORDER BY k) FROM vocreport.runs, jsonb_object_keys(source_rows) k WHERE run_id = $run_id")" \
            "customers,survey_responses"
        expect_eq "survey_only: an SLA KPI says why it has no value" \
            "$(sql "SELECT coalesce(value::text, 'NULL') || ' ' || flag FROM vocreport.kpi_values WHERE run_id = $run_id AND code = 'dept.kpi.actual' AND dims = 'department=logistics;kpi=closed_48h'")" \
            "NULL no_cases"
        expect_eq "survey_only: so do its history and previous period" \
            "$(sql "SELECT string_agg(DISTINCT coalesce(value::text, 'NULL') || ' ' || coalesce(n::text, 'NULL') || ' ' || regexp_replace(flag, 'period=[0-9-]+/[0-9-]+,', 'period=P,'), ' | ') FROM vocreport.kpi_values WHERE run_id = $run_id AND ((code = 'dept.kpi.actual' AND dims LIKE 'department=logistics;kpi=closed_48h;period=%') OR (code = 'dept.kpi.previous' AND dims = 'department=logistics;kpi=closed_48h'))")" \
            "NULL NULL no_cases | NULL NULL period=P,no_cases"
        expect_match "survey_only: the absent views in the log" "$(cat "$scratch/err")" 'source view orders is absent: the figures that need it are NULL \(flag no_orders\)'
        ;;
    source_time_zone)
        expect_eq "source_time_zone: recorded" \
            "$(sql "SELECT parameters->>'source_time_zone' FROM vocreport.runs WHERE run_id = $run_id")" America/New_York
        # New York's local times, read in New York: the same instants as the
        # timestamptz columns, so the same figures; read in the session's
        # Berlin they would move the rows at the period's edges by 6 hours.
        expect_eq "source_time_zone: the same survey figures" "$(survey "$run_id")" "$(survey "$wider_run")"
        ;;
    explicit_without_churn_events)
        # Revenue without churn: ARPU is a number, LTV is not (NULL in the
        # run), and the workbook's LTV is an empty cell whose comment names
        # the missing view rather than a division by the churn floor;
        # LibreOffice recalculates the same.
        expect_eq "explicit_without_churn_events: class LTV not measured" \
            "$(sql "SELECT (SELECT coalesce(value::text, 'NULL') || ' ' || flag FROM vocreport.kpi_values WHERE run_id = $run_id AND code = 'class.ltv' AND dims = 'class=promoter') || ', ARPU ' || (SELECT (value IS NOT NULL)::text FROM vocreport.kpi_values WHERE run_id = $run_id AND code = 'class.arpu' AND dims = 'class=promoter')")" \
            "NULL no_churn_events, ARPU true"
        xlsx=$folder/nightly-2026-10-01-executive.xlsx
        expect_eq "explicit_without_churn_events: workbook LTV n/a" "$("$py" -c '
import openpyxl, sys
wf, wv = openpyxl.load_workbook(sys.argv[1]), openpyxl.load_workbook(sys.argv[1], data_only=True)
name = "Customer classes"
r = next(c.row for c in wf[name]["A"] if c.value == "Promoters")
c = wf[name].cell(r, 7)
print(c.value, c.comment.text if c.comment else None, isinstance(wv[name].cell(r, 6).value, (int, float)))
' "$xlsx" 2>&1)" "None n/a: no churn events in the source True"
        out=$("$py" "$here/check_workbook.py" "$xlsx" --libreoffice 2>&1)
        expect_eq "explicit_without_churn_events: LibreOffice agrees" "$?" 0 || printf '%s\n' "$out" | grep FAIL | head -5
        ;;
    esac
    rm -rf "$folder" # the next failing row proves it publishes nothing
done < "$here/contract_errors.tsv"

# Every column of every view of the wrong type: 47 problems, more than one
# error holds; as many as fit, the count of the rest, each in the log.
base_views
psql -qX -v ON_ERROR_STOP=1 >/dev/null <<SQL || exit 1
DO \$\$ DECLARE t text; cols text; BEGIN
  FOREACH t IN ARRAY string_to_array('$tables', ' ') LOOP
    SELECT string_agg(format('to_json(%I) AS %I', column_name, column_name), ', ' ORDER BY ordinal_position)
      INTO cols FROM information_schema.columns WHERE table_schema = 'raw' AND table_name = t;
    EXECUTE format('DROP VIEW voc.%I', t);
    EXECUTE format('CREATE VIEW voc.%I AS SELECT %s FROM raw.%I', t, cols, t);
  END LOOP;
END \$\$;
SQL
run "$cfg"
expect_eq "47 problems: exit status" "$?" 3
msg=$(sql "SELECT error FROM vocreport.runs WHERE run_id = $(last_run)")
expect_match "47 problems: counted" "$msg" '^the source views in schema "voc" do not follow the data contract \(docs/your-data.md\), 47 problems: customers\.customer_id is json, expected bigint'
more=$(sed -nE 's/.*; and ([0-9]+) more \(each is logged above\)$/\1/p' <<<"$msg")
shown=$(grep -o ': cast it in the view' <<<"$msg" | wc -l)
expect_eq "47 problems: shown and the rest add up" "$((shown + more))" 47
expect_eq "47 problems: each in the log" "$(grep -c 'ERROR run=[0-9]* job=nightly data contract: ' "$scratch/err")" 47
[ "${#msg}" -lt 2048 ] && ok || bad "47 problems: the message is ${#msg} bytes"

# Gates: a view the company does not have, or an empty one, is neither
# fresh nor stale; a view that empties after a run with rows is a stopped
# feed for the row-change gate.  1 hour: the newest feedback row is older
# than that; surveys and orders have one in the last second of the period.
# Without the rule, a view without rows would fail as "no row before the
# period end".
gcfg=$scratch/gates.ini
sed -e 's/^gate_freshness_hours = .*/gate_freshness_hours = 1/' -e 's/^gate_row_change_pct = .*/gate_row_change_pct = 10/' \
    -e 's/^gate_min_responses = .*/gate_min_responses = 0/' "$cfg" > "$gcfg"
gates() { sql "SELECT array_to_string(gate_failures, ' | ') FROM vocreport.runs WHERE run_id = $(last_run)"; }
base_views
run "$gcfg"; expect_eq "gates, every view: run" "$?" 0
expect_eq "gates, every view: feedback is stale" "$(gates)" \
    'freshness: the newest feedback row is 350.0 hours older than the period end (gate_freshness_hours = 1)'
psql -qXc "DROP VIEW voc.orders, voc.feedback" >/dev/null
run "$gcfg"; expect_eq "gates, no orders or feedback: run" "$?" 0
expect_eq "gates, no orders or feedback: all passed" "$(gates)" ""
expect_match "gates, no orders: why not checked" "$(cat "$scratch/err")" 'freshness: orders not checked \(no_orders\)'
psql -qXc "CREATE VIEW voc.orders AS SELECT * FROM raw.orders WHERE false" >/dev/null
run "$gcfg"; expect_eq "gates, empty orders: run" "$?" 0
expect_eq "gates, empty orders: all passed" "$(gates)" ""
expect_match "gates, empty orders: why not checked" "$(cat "$scratch/err")" 'freshness: orders not checked \(empty_orders\)'
expect_eq "empty orders: revenue not measured" \
    "$(sql "SELECT coalesce(value::text, 'NULL') || ' ' || flag FROM vocreport.kpi_values WHERE run_id = $(last_run) AND code = 'recon.revenue_ledger'")" \
    "NULL empty_orders"
ref=$("$py" "$here/reference.py" --db "$PGDATABASE" --run-id "$(last_run)" 2>&1)
expect_eq "empty orders: reference.py agrees" "$?" 0 || printf '%s\n' "$ref" | tail -5
base_views
run "$gcfg"; expect_eq "gates, every view again: run" "$?" 0
rows=$(sql "SELECT count(*) FROM raw.orders")
before=$(last_run)
psql -qXc "DROP VIEW voc.orders; CREATE VIEW voc.orders AS SELECT * FROM raw.orders WHERE false" >/dev/null
run "$gcfg"; expect_eq "gates, orders emptied: run" "$?" 0
expect_match "gates, orders emptied: a stopped feed" "$(gates)" \
    "row change: orders has 0 rows, -100.0 % against $rows in run $before"
finish
