#!/usr/bin/env bash
# One comment longer than an Excel cell holds (32,767 characters) among the
# newest negative verbatims of a department's topic: the run still succeeds,
# and both the executive workbook (a merged quote cell on Topics) and the
# logistics workbook (Verbatims) hold the comment cut at a character
# boundary with the visible mark "… [cut from N characters]", at most
# 32,767 characters in all.  Before, the department workbook failed the run
# (exit 6, nothing published) and the executive quote cell was left empty.
. "$(dirname "$0")/lib.sh"
ooxml=${VR_OOXML_CHECK:?set VR_OOXML_CHECK to the ooxml_check binary}

cfg=$scratch/vocreport.ini
make_config "$cfg" 's/^max_rejected_share = .*/max_rejected_share = 1/' 's/^min_sample = .*/min_sample = 5/' 's/^gate_[a-z_]* = .*//'
fresh_db long_text "$here/fixtures/small.sql"
# An anonymous public post, the newest late-delivery complaint of September.
sql "INSERT INTO voc.feedback (feedback_id, customer_id, received_at, channel, brand, body, topic, sentiment)
     VALUES (900, NULL, '2026-09-29 10:00+02', 'social', NULL,
             'late delivery ' || repeat('x', 32760), 'late_delivery', -0.9)" >/dev/null
out=$("$bin" init-db --config "$cfg" 2>&1); expect_eq "init-db" "$?" 0

"$bin" run --config "$cfg" --job nightly --as-of 2026-10-01 >"$scratch/out" 2>"$scratch/err"
expect_eq "run with a 32,774-character comment succeeds" "$?" 0 || tail -5 "$scratch/err"
dir=$(head -1 "$scratch/out")

# Expected by hand: the body has 14 + 32,760 = 32,774 characters; the mark
# for it is "… [cut from 32,774 characters]" (30 characters), so 32,737 of
# the comment's characters fit before it.
check() { # path-under-the-folder sheet merged|single
    local f=$1 got
    got=$("$py" - "$dir/$f.xlsx" <<'PY'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
for ws in wb:
    for row in ws.iter_rows():
        for c in row:
            v = c.value
            if isinstance(v, str) and v.startswith("late delivery x"):
                mark = "\u2026 [cut from 32,774 characters]"
                keep = 32767 - len(mark)
                merged = any(c.coordinate in r for r in ws.merged_cells.ranges)
                print(ws.title, c.coordinate, len(v), len(mark), keep,
                      v == ("late delivery " + "x" * 32760)[:keep] + mark,
                      "merged" if merged else "single")
PY
)
    expect_match "$f workbook opens and holds the cut comment" "$got" "^$2 [A-Z]+[0-9]+ 32767 30 32737 True $3\$"
    expect_eq "$f: the comment once" "$(grep -c . <<<"$got")" 1
}
check nightly-2026-10-01-executive Topics merged
check dept-logistics/nightly-2026-10-01-dept-logistics Verbatims single
out=$("$ooxml" $(find "$dir" -name '*.xlsx')); expect_eq "every workbook passes the XML check" "$(grep -vc ': ok$' <<<"$out")" 0
finish
