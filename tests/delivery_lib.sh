# The report-mail tests' shared parts, sourced after lib.sh: the local SMTP
# servers (smtp_lib.sh), a server that drops every connection, the shipped
# config pointed at a port, a run of the small fixture's job, and who must
# get which files (docs/departments.md) for check_mail.py.
. "$(dirname "$0")/smtp_lib.sh"
# start_dropper PORT: accepts every connection and closes it at once
start_dropper() {
    "$py" - "$1" >"$scratch/dropper-$1.log" 2>&1 <<'PYEOF' &
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1])))
s.listen(16)
while True:
    c, _ = s.accept()
    c.close()
PYEOF
    servers+=($!)
}

# mail_config FILE PORT [sed ...]: the shipped config, mail to PORT, no
# gates unless asked, no retry delay unless asked
mail_config() {
    local out=$1 port=$2; shift 2
    make_config "$out" 's/^max_rejected_share = .*/max_rejected_share = 1/' \
        's/^min_sample = .*/min_sample = 5/' \
        "s|^url =.*|url = smtp://127.0.0.1:$port|" 's/^starttls = .*/starttls = no/' \
        's/^retry_seconds = .*/retry_seconds = 0/' 's/^max_attempts = .*/max_attempts = 3/' \
        's/^timeout_seconds = .*/timeout_seconds = 10/' \
        's/^gate_freshness_hours = .*/gate_freshness_hours = 0/' \
        's/^gate_row_change_pct = .*/gate_row_change_pct = 0/' \
        's/^gate_min_responses = .*/gate_min_responses = 0/' "$@"
}
run_job() { # stdout/stderr into $scratch/out, $scratch/err; sets $status and $run_id
    "$bin" run --config "$1" --job nightly --as-of 2026-10-01 >"$scratch/out" 2>"$scratch/err"
    status=$?
    run_id=$(last_run)
}
# expectations FILE: who gets what, from the explicit table of
# docs/departments.md; the department lines apply when the run published
# department files (the department packs come with another part of issue 5)
expectations() {
    local f=$1 asof=2026-10-01 p=nightly-2026-10-01
    {
        echo "to ceo@example.com $p-executive.xlsx $p-briefing.pdf"
        echo "to coo@example.com $p-executive.xlsx $p-briefing.pdf"
        echo "to controlling@example.com $p-figures.csv $p-executive.xlsx"
        if [ -n "$(sql "SELECT 1 FROM vocreport.outputs WHERE run_id = $run_id AND audience = 'service'")" ]; then
            echo "to service.desk@example.com $p-calllist.xlsx"
        fi
        local d heads
        for d in $(sql "SELECT DISTINCT department FROM vocreport.outputs WHERE run_id = $run_id AND department IS NOT NULL ORDER BY 1"); do
            case $d in
            customer_service) heads="service.head@example.com service.leads@example.com" ;;
            logistics) heads="logistics.head@example.com" ;;
            product) heads="product.head@example.com" ;;
            billing) heads="billing.head@example.com" ;;
            *) heads="" ; bad "department $d has no expected recipients in this test" ;;
            esac
            for h in $heads; do echo "to $h $p-dept-$d.xlsx $p-dept-$d.pdf"; done
        done
        sql "SELECT 'sha ' || regexp_replace(path, '^.*/', '') || ' ' || sha256 FROM vocreport.outputs WHERE run_id = $run_id"
        sql "SELECT 'figure ' || code || ' ' || coalesce(value::text, '') || ' ' || coalesce(n::text, '')
             FROM vocreport.kpi_values WHERE run_id = $run_id AND dims = ''
              AND code IN ('nps', 'nps_moe', 'nps_delta', 'csat', 'churn_rate', 'roi.value')"
        # Logistics' KPI lines, named and formatted as on its scorecard, from
        # its kpi_values (config: nps >= 20, topic.negative(late_delivery) <= 400,
        # sla.closed_48h >= 80%)
        if [ -n "$(sql "SELECT 1 FROM vocreport.outputs WHERE run_id = $run_id AND department = 'logistics'")" ]; then
            sql "SELECT k.kpi || '|' || coalesce(a.value::text, '') || '|' || split_part(s.flag, ',', 1)
                        || '|' || coalesce(a.flag, '')
                 FROM (VALUES ('nps'), ('late_complaints'), ('closed_48h')) AS k(kpi)
                 LEFT JOIN vocreport.kpi_values a ON a.run_id = $run_id AND a.code = 'dept.kpi.actual'
                      AND a.dims = 'department=logistics;kpi=' || k.kpi
                 LEFT JOIN vocreport.kpi_values s ON s.run_id = $run_id AND s.code = 'dept.kpi.status'
                      AND s.dims = 'department=logistics;kpi=' || k.kpi" |
            "$py" -c '
import sys
sys.path.insert(0, sys.argv[1])
from check_mail import fmt_number, fmt_score, fmt_percent
words = {"green": "on target", "amber": "near target", "red": "off target", "grey": "no data"}
names = {"nps": ("NPS", fmt_score, "≥ 20"),
         "late_complaints": ("Negative mentions: Late delivery", lambda v: fmt_number(v, 0), "≤ 400"),
         "closed_48h": ("Cases closed within 48 h", lambda v: fmt_percent(v, 1), "≥ 80.0 %")}
# Without an actual, the words say why (templates [na]): the first word of
# its flag that has a reason.
why = {"no_sample": "none counted (n = 0)", "no_cases": "no cases in the source",
       "empty_cases": "no usable cases rows in the source",
       "no_survey_responses": "no survey responses in the source",
       "empty_period": "no survey response in the period"}
for line in sys.stdin:
    kpi, value, flag, actual_flag = line.rstrip("\n").split("|")
    name, fmt, target = names[kpi]
    shown = fmt(float(value)) if value else "n/a"
    reasons = [why[w] for w in actual_flag.split(",") if w in why] if not value else []
    said = reasons[0] if reasons else words[flag or "grey"]
    print("body logistics.head@example.com %s — %s (target %s), %s" % (name, shown, target, said))
' "$here"
        fi
        echo "headline ceo@example.com"
        echo "headline controlling@example.com"
        echo "subject ceo@example.com nightly: Voice of the Customer report 2026-09-01 – 2026-09-30"
        echo "body ceo@example.com Attached: $p-executive.xlsx, $p-briefing.pdf"
        echo "body ceo@example.com Run $run_id"
    } >"$f"
}
check_box() { # what maildir expectations
    local out
    out=$("$py" "$here/check_mail.py" "$2" "$3" 2>&1)
    if [ $? = 0 ]; then ok; else bad "$1: $out"; fi
}
dsql() { sql "SELECT $1 FROM vocreport.deliveries WHERE run_id = $run_id $2"; }

# start_odd PORT MODE [SECONDS]: tests/smtp_odd_server.py (drop, slow, silent)
start_odd() {
    "$py" "$here/smtp_odd_server.py" "$@" >"$scratch/odd-$1.log" 2>&1 &
    servers+=($!)
}
# wait_log FILE REGEX [SECONDS]: until FILE has a line matching REGEX
wait_log() {
    local i
    for i in $(seq 1 $((${3:-60} * 10))); do
        grep -Eq -- "$2" "$1" 2>/dev/null && return 0
        sleep 0.1
    done
    return 1
}
