#!/usr/bin/env bash
# The closed-loop retention experiment through the real program: customers
# are assigned once, by the documented md5 formula, only while enrollment is
# open; re-runs and backfills move nobody; the evaluation and VoC ROI are
# recomputed by tests/reference_experiments.py.  Fixture and timeline:
# tests/fixtures/experiment.sql.
. "$(dirname "$0")/lib.sh"

cfg=$scratch/vocreport.ini
make_config "$cfg" 's/^period = .*/period = month_to_date/' 's/^min_sample = .*/min_sample = 5/'
cat >> "$cfg" <<'INI'

[experiment.call_detractors]
start = 2026-03-01
enrollment_days = 30
treatment_share = 0.5
evaluation_window_months = 6
INI

fresh_db experiments "$here/fixtures/experiment.sql"
"$bin" init-db --config "$cfg" >/dev/null 2>&1; expect_eq "init-db" "$?" 0

exp_run() { # as-of: runs the job and the reference check on the run
    "$bin" run --config "$cfg" --job nightly --as-of "$1" >/dev/null 2>"$scratch/err"
    expect_eq "run $1" "$?" 0 || tail -5 "$scratch/err"
    run_id=$(last_run)
    ref=$("$py" "$here/reference_experiments.py" --db "$PGDATABASE" --run-id "$run_id" 2>&1)
    local status=$?
    expect_eq "reference_experiments agrees ($1)" "$status" 0
    [ "$status" = 0 ] || printf '%s\n' "$ref" | tail -20
    echo "$1: $(printf '%s\n' "$ref" | tail -1)"
}
assignments() { sql "SELECT string_agg(customer_id || ':' || arm || ':' || assigned_at, ',' ORDER BY customer_id) FROM vocreport.experiment_assignments"; }
kpi() { sql "SELECT coalesce(value::text, 'NULL') || coalesce(':' || flag, '') FROM vocreport.kpi_values WHERE run_id = $run_id AND code = '$1' AND dims = '$2'"; }
X='experiment=call_detractors'
# The service team's treatment call list of the last run: published, recorded
# in outputs, and exactly the treatment arm (tests/check_calllist.py).
calllist_ok() { # as-of
    local f=$VOCREPORT_OUTPUT_DIR/nightly/$1/nightly-$1-calllist.xlsx out
    expect_eq "$1: call list published" "$([ -s "$f" ] && echo yes)" yes || return
    expect_eq "$1: outputs row xlsx:service" "$(sql "SELECT string_agg(kind || ':' || audience || ':' || regexp_replace(path, '^.*/', ''), ',') FROM vocreport.outputs WHERE run_id = $run_id AND audience = 'service'")" \
        "xlsx:service:nightly-$1-calllist.xlsx"
    out=$("$py" "$here/check_calllist.py" --file "$f" --run-id "$run_id" --experiment call_detractors --hours 24 2>&1)
    expect_eq "$1: check_calllist" "$?" 0
    printf '%s\n' "$out" | sed "s/^/  $1: /"
}
calllist_absent() { # as-of
    expect_eq "$1: no call list" "$(ls "$VOCREPORT_OUTPUT_DIR/nightly/$1" | grep -c calllist)" 0
    expect_eq "$1: no service output" "$(sql "SELECT count(*) FROM vocreport.outputs WHERE run_id = $run_id AND audience = 'service'")" 0
}

# A backfill from before the start: no figures, nobody assigned.
exp_run 2026-02-15
expect_eq "before start: no assignment" "$(sql "SELECT count(*) FROM vocreport.experiment_assignments")" 0
expect_eq "before start: no exp figures" "$(sql "SELECT count(*) FROM vocreport.kpi_values WHERE run_id = $run_id AND code LIKE 'exp.%'")" 0
calllist_absent 2026-02-15

# t0: the risk pool 1..40 is assigned, at T.
exp_run 2026-03-02
expect_eq "t0: 40 assigned" "$(sql "SELECT count(*) || ' ' || min(customer_id) || ' ' || max(customer_id) FROM vocreport.experiment_assignments")" "40 1 40"
expect_eq "t0: assigned at T" "$(PGTZ=Europe/Berlin sql "SELECT DISTINCT assigned_at FROM vocreport.experiment_assignments")" "2026-03-02 00:00:00+01"
split=$(sql "SELECT count(*) FILTER (WHERE arm = 'treatment') || '/' || count(*) FILTER (WHERE arm = 'control') FROM vocreport.experiment_assignments")
echo "t0 split treatment/control: $split"
expect_match "t0: both arms used" "$split" '^[1-9][0-9]*/[1-9][0-9]*$'
# Determinism: the arms equal the documented formula, computed by Python.
expected=$(for i in $(seq 1 40); do "$py" -c "import hashlib,sys; h=hashlib.md5(b'call_detractors:$i').hexdigest()[:13]; print('$i:' + ('treatment' if int(h, 16) / 2**52 < 0.5 else 'control'))"; done | paste -sd, -)
expect_eq "t0: arms = md5 formula" "$(sql "SELECT string_agg(customer_id || ':' || arm, ',' ORDER BY customer_id) FROM vocreport.experiment_assignments")" "$expected"
expect_eq "t0: exp.status running" "$(kpi exp.status "$X")" "0:running"
expect_eq "t0: exp.customers sum" "$(sql "SELECT sum(value) FROM vocreport.kpi_values WHERE run_id = $run_id AND code = 'exp.customers'")" 40
calllist_ok 2026-03-02
before=$(assignments)

# Re-run the same as-of: nothing moves, nothing is added.
exp_run 2026-03-02
expect_eq "re-run t0: assignments unchanged" "$(assignments)" "$before"
# The table refuses rewrites.
out=$(sql "UPDATE vocreport.experiment_assignments SET arm = 'control' WHERE customer_id = 1" 2>&1)
expect_match "assignments are final" "$out" 'never rewritten'

# Later inside enrollment: only the newly qualifying 55..70 join, at their T.
exp_run 2026-03-20
expect_eq "2026-03-20: old rows untouched" "$(sql "SELECT string_agg(customer_id || ':' || arm || ':' || assigned_at, ',' ORDER BY customer_id) FROM vocreport.experiment_assignments WHERE customer_id <= 40")" "$before"
expect_eq "2026-03-20: new customers" "$(sql "SELECT string_agg(customer_id::text, ',' ORDER BY customer_id) FROM vocreport.experiment_assignments WHERE customer_id > 40")" "$(seq -s, 55 70)"
expect_eq "2026-03-20: assigned at its T" "$(PGTZ=Europe/Berlin sql "SELECT DISTINCT assigned_at FROM vocreport.experiment_assignments WHERE customer_id > 40")" "2026-03-20 00:00:00+01"
mid=$(assignments)
calllist_ok 2026-03-20

# After enrollment (71..75 qualify in April): nobody new; still running.
exp_run 2026-04-15
expect_eq "2026-04-15: nobody added" "$(assignments)" "$mid"
expect_eq "2026-04-15: running" "$(kpi exp.status "$X")" "0:running"
expect_eq "2026-04-15: no verdict yet" "$(sql "SELECT count(*) FROM vocreport.kpi_values WHERE run_id = $run_id AND code IN ('exp.churn_diff', 'exp.value')")" 0
# When it will be evaluated, as the run placed it (kpi_experiments), not by
# the workbook's own calendar: (2026-03-01 + 30 days) + 6 months.
book() { echo "$VOCREPORT_OUTPUT_DIR/nightly/$1/nightly-$1-executive.xlsx"; }
expect_match "2026-04-15: evaluation day named" "$(sheet_text "$(book 2026-04-15)" Experiments)" \
    "evaluation on 2026-09-30\."
calllist_ok 2026-04-15

# A backfill inside enrollment after later runs: nobody moves.
exp_run 2026-03-02
expect_eq "backfill t0: nothing moves" "$(assignments)" "$mid"
calllist_ok 2026-03-02

# Evaluation at 2026-09-30 (2026-03-31 + 6 months) falls in September.
exp_run 2026-10-01
expect_eq "evaluated" "$(kpi exp.status "$X")" "1:evaluated"
expect_eq "treatment churns less" "$(sql "SELECT (SELECT value FROM vocreport.kpi_values WHERE run_id = $run_id AND code = 'exp.churn_diff' AND dims = '$X') > 0")" t
benefit=$(kpi roi.benefit ""); value=$(kpi exp.value "$X")
expect_eq "roi.benefit = exp.value (started in the window)" "$benefit" "$value"
expect_eq "exp.cost: March..September interventions" "$(kpi exp.cost "$X")" 2100
# VoC ROI over the trailing year (decisions.md "VoC ROI: one window"):
# people January..September 9 x 1000, interventions March..September 7 x 300.
expect_eq "roi.cost: the trailing year, all categories" "$(kpi roi.cost "")" 11100
expect_eq "roi.cost by month and category" "$(kpi roi.cost 'category=intervention;month=2026-03-01') $(kpi roi.cost 'category=people;month=2026-09-01')" "300 1000"
expect_eq "the breakdown adds up" "$(sql "SELECT count(*) || ' ' || sum(value) FROM vocreport.kpi_values WHERE run_id = $run_id AND code = 'roi.cost' AND dims <> ''")" "16 11100"
expect_eq "roi_window parameter" "$(sql "SELECT parameters->>'roi_window' FROM vocreport.runs WHERE run_id = $run_id")" "2025-10-01/2026-09-30"
expect_eq "roi_benefits parameter" "$(sql "SELECT parameters->>'roi_benefits' FROM vocreport.runs WHERE run_id = $run_id")" "evaluated experiments"
# The interval, by hand from the run's own figures: one experiment, so
# (ci x treated x ltv_all - cost) / cost; not_significant when it holds 0.
fig() { sql "SELECT coalesce(value::text, 'NULL') FROM vocreport.kpi_values WHERE run_id = $run_id AND code = '$1' AND dims = '$2'"; }
flag() { sql "SELECT coalesce(flag, 'NULL') FROM vocreport.kpi_values WHERE run_id = $run_id AND code = '$1' AND dims = '$2'"; }
by_hand=$("$py" - "$(fig exp.ci_low "$X")" "$(fig exp.ci_high "$X")" "$(fig exp.customers "arm=treatment;$X")"     "$(fig ltv_all '')" "$(fig roi.cost '')" "$(fig exp.cost "$X")" <<'PY'
import sys
lo, hi, treated, ltv, cost, exp_cost = map(float, sys.argv[1:])
out = []
for c in (cost, exp_cost):
    ends = sorted([(lo * treated * ltv - c) / c, (hi * treated * ltv - c) / c])
    out += ['%.6f' % e for e in ends] + ['not_significant' if ends[0] <= 0 <= ends[1] else 'NULL']
print(' '.join(out))
PY
)
got=$("$py" -c 'import sys; print(" ".join("%.6f" % float(x) if i % 3 < 2 else x for i, x in enumerate(sys.argv[1:])))'     "$(fig roi.value_low '')" "$(fig roi.value_high '')" "$(flag roi.value '')"     "$(fig exp.roi_low "$X")" "$(fig exp.roi_high "$X")" "$(flag exp.roi "$X")")
expect_eq "ROI intervals by hand (VoC, experiment)" "$got" "$by_hand"
echo "  ROI interval: $by_hand"
for code in exp.customers exp.churn_rate; do
    for arm in treatment control; do echo "  $code $arm: $(kpi $code "arm=$arm;$X")"; done
done
for code in exp.churn_diff exp.ci_low exp.ci_high exp.p_value exp.retained_customers exp.value exp.cost exp.roi exp.roi_low exp.roi_high roi.benefit roi.cost roi.value roi.value_low roi.value_high; do
    d=$X; case $code in roi.*) d= ;; esac
    echo "  $code: $(kpi $code "$d")"
done
expect_eq "evaluation: nobody added" "$(assignments)" "$mid"
# The verdict is a candidate finding: worth abs(exp.value), confidence 1 - p.
ref=$("$py" "$here/reference_findings.py" --db "$PGDATABASE" --run-id "$run_id" --config "$cfg" 2>&1)
expect_eq "reference_findings.py agrees (evaluated)" "$?" 0 || printf '%s\n' "$ref" | tail -10
expect_eq "the experiment's score" "$(sql "SELECT round((s.value - abs(v.value) * (1 - p.value))::numeric, 6) FROM vocreport.kpi_values s, vocreport.kpi_values v, vocreport.kpi_values p WHERE s.run_id = $run_id AND v.run_id = $run_id AND p.run_id = $run_id AND s.code = 'finding.score' AND s.dims = 'experiment=call_detractors;finding=experiment' AND v.code = 'exp.value' AND v.dims = '$X' AND p.code = 'exp.p_value' AND p.dims = '$X'")" "0.000000"
calllist_absent 2026-10-01
expect_eq "roi_experiments parameter" "$(sql "SELECT parameters->>'roi_experiments' FROM vocreport.runs WHERE run_id = $run_id")" call_detractors
# The tie-out's filters in the run's own days: the trailing year before T,
# the experiment's costs from its start month to its evaluation day, the
# programme's costs of the period; its value summed into the VoC benefit.
recon=$(sheet_text "$(book 2026-10-01)" Reconciliation)
expect_match "ledger filter: the trailing year" "$recon" 'ordered_at in \[2025-10-01, 2026-10-01\)'
expect_match "experiment cost filter" "$recon" 'category = intervention, month in \[2026-03-01, 2026-09-30\)'
expect_match "programme cost filter" "$recon" 'all categories, month in \[2025-10-01, 2026-10-01\)'
expect_match "benefit: the counted value cell" "$(sheet_text "$(book 2026-10-01)" "VoC ROI")" "^=SUM\\('Experiments'!\\\$B\\\$[0-9]+\\)\$"

# The evaluated workbook as finance opens it: every formula (experiment
# value, ROI, tie-outs) recalculated by LibreOffice equals its cached value.
out=$("$py" "$here/check_workbook.py" "$VOCREPORT_OUTPUT_DIR/nightly/2026-10-01/nightly-2026-10-01-executive.xlsx" --libreoffice 2>&1)
expect_eq "evaluated workbook recalculates to its cached values" "$?" 0
printf '%s\n' "$out" | tail -1

# Which benefits count is the config's choice: left out, the same
# evaluation adds nothing to VoC ROI (and the reference follows the config).
sed -i 's/^evaluation_window_months = 6$/evaluation_window_months = 6\ncounts_in_roi = no/' "$cfg"
exp_run 2026-10-01
expect_eq "counts_in_roi = no: same verdict" "$(kpi exp.value "$X")" "$value"
expect_eq "counts_in_roi = no: no benefit, said so" "$(kpi roi.benefit "")" 0:no_evaluated_experiment
expect_eq "counts_in_roi = no: no interval" "$(kpi roi.value_low "")" NULL:no_evaluated_experiment
expect_eq "counts_in_roi = no: printed" "$(sql "SELECT parameters->>'roi_experiments' FROM vocreport.runs WHERE run_id = $run_id")" none
expect_no_match "counts_in_roi = no: no value cell summed" "$(sheet_text "$(book 2026-10-01)" "VoC ROI")" 'SUM\('
sed -i '/^counts_in_roi = no$/d' "$cfg"

# The month after: the benefit still counts (the experiment began in the
# window November 2025 - October 2026), against that year's cost: people
# January..October 10 x 1000, interventions March..October 8 x 300.
exp_run 2026-11-01
expect_eq "2026-11-01: evaluated" "$(kpi exp.status "$X")" "1:evaluated"
expect_eq "2026-11-01: still counted" "$(kpi roi.benefit "")" "$value"
expect_eq "2026-11-01: the cost of the same year" "$(kpi roi.cost "")" 12400
expect_eq "2026-11-01: same verdict" "$(kpi exp.value "$X")" "$value"
calllist_absent 2026-11-01

# An experiment whose first months fall before the window is not counted:
# part of what it cost is outside roi.cost.  Started 15 October 2025, it
# is evaluated by November 2026 but began before the window.
sed -i 's/^start = 2026-03-01$/start = 2025-10-15/' "$cfg"
exp_run 2026-11-01
expect_eq "started before the window: evaluated" "$(kpi exp.status "$X")" "1:evaluated"
expect_eq "started before the window: not in VoC ROI" "$(kpi roi.benefit "")" 0:no_evaluated_experiment
sed -i 's/^start = 2025-10-15$/start = 2026-03-01/' "$cfg"
finish
