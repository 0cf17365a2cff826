#!/usr/bin/env bash
# The README's demo command (scripts/demo.sh), run as a newcomer runs it, on
# a small data set in its own folder: five nights of the nightly job (the
# experiment's enrollment, three backfilled months, today's with the
# experiment evaluated) and the same job in the other locale.  What the
# first briefing must show: twelve periods of history, ranked findings, a
# VoC ROI with its interval, in English and in Chinese.
. "$(dirname "$0")/lib.sh"

demo=$scratch/demo
stop_demo() { "$top/scripts/pg.sh" stop "$demo/pg"; rm -rf "$scratch"; }
trap stop_demo EXIT
out=$(VOCREPORT_DEMO_DIR=$demo "$top/scripts/demo.sh" --customers 3000 --responses 15000 --seed 7 2>&1)
expect_eq "demo.sh exit status" "$?" 0 || tail -20 <<<"$out"
expect_match "demo.sh: five nightly runs" "$(grep -c '^demo: ran nightly as of' <<<"$out")" '^5$'
expect_match "demo.sh: the other locale's job" "$out" '^demo: ran nightly_zh as of today$'

eval "$("$top/scripts/pg.sh" env "$demo/pg")"
export PGDATABASE=vocreport_demo
last=$(sql "SELECT max(run_id) FROM vocreport.runs WHERE job = 'nightly' AND status = 'succeeded'")
expect_eq "demo: every run succeeded" \
    "$(sql "SELECT count(*) FILTER (WHERE status <> 'succeeded') || ' of ' || count(*) FROM vocreport.runs")" "0 of 6"
expect_eq "demo: twelve periods of NPS history in the last run" \
    "$(sql "SELECT count(*) FROM vocreport.kpi_values WHERE run_id = $last AND code = 'nps' AND dims ~ '^period=[0-9-]+$' AND value IS NOT NULL")" 12
expect_eq "demo: the experiment evaluated" \
    "$(sql "SELECT count(*) FROM vocreport.kpi_values WHERE run_id = $last AND code = 'exp.churn_diff' AND value IS NOT NULL")" 1
expect_eq "demo: VoC ROI with its interval" \
    "$(sql "SELECT count(*) FROM vocreport.kpi_values WHERE run_id = $last AND dims = '' AND code IN ('roi.value', 'roi.value_low', 'roi.value_high') AND value IS NOT NULL")" 3
expect_match "demo: ranked findings" \
    "$(sql "SELECT count(*) FROM vocreport.kpi_values WHERE run_id = $last AND code = 'finding.rank'")" '^[1-9]'

# The briefings as a reader gets them: the trend block and the ROI tile's
# interval in each locale (the words from the templates, filled by hand).
for job in nightly nightly_zh; do
    pdf=$(ls "$demo"/reports/$job/*/*-briefing.pdf 2>/dev/null | tail -1)
    if ! expect_match "$job: a briefing published" "$pdf" 'briefing\.pdf$'; then continue; fi
    qpdf --check "$pdf" >/dev/null 2>&1; expect_eq "$job: qpdf --check" "$?" 0
    text=$(pdftotext -layout "$pdf" - 2>/dev/null)
    locale=en_US; [ $job = nightly_zh ] && locale=zh_CN
    ini=$top/templates/$locale/briefing.ini
    trends=$(sed -n '/^\[trends\]/,/^\[/{s/^title = \(.*\){first}.*/\1/p}' "$ini")
    trends=${trends%[,：] }; trends=${trends%[,：]}
    expect_match "$job: the trend block ($trends)" "$text" "$trends"
    findings=$(sed -n '/^\[briefing\]/,/^\[/{s/^findings = //p}' "$ini")
    expect_match "$job: the findings block ($findings)" "$text" "$findings"
done
finish
