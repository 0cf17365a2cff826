#!/usr/bin/env bash
# A SQL_ASCII database can hold feedback that is not valid UTF-8 (a UTF-8
# database cannot): such a body is rejected as invalid_utf8, counted, and
# the run still completes; valid Chinese text in the same database is kept.
# An invalid byte in a survey channel and in a competitor's brand (columns
# the quality rules do not check) reaches the executive workbook and the
# figures CSV as U+FFFD: the workbook still opens, the CSV is UTF-8.
. "$(dirname "$0")/lib.sh"
ooxml=${VR_OOXML_CHECK:?set VR_OOXML_CHECK to the ooxml_check binary}

export PGDATABASE=vrt_sql_ascii
dropdb --if-exists "$PGDATABASE" 2>/dev/null
createdb -T template0 -E SQL_ASCII --lc-collate=C --lc-ctype=C "$PGDATABASE" || exit 1
psql -qX -v ON_ERROR_STOP=1 -f "$top/sql/demo/contract.sql" >/dev/null || exit 1
psql -qX -v ON_ERROR_STOP=1 >/dev/null <<'SQL' || exit 1
INSERT INTO voc.customers VALUES (1, 'retail', 'north', '2025-01-01');
INSERT INTO voc.feedback (feedback_id, customer_id, received_at, channel, body) VALUES
 (1, 1, '2026-09-10 10:00+02', 'review', 'fine'),
 (2, 1, '2026-09-11 10:00+02', 'review', E'broken \xff\xfe bytes'),
 (3, 1, '2026-09-12 10:00+02', 'review', E'half a character \xe9'),
 (4, 1, '2026-09-13 10:00+02', 'review', '送货很快');
SQL
cfg=$scratch/vocreport.ini
make_config "$cfg" 's/^max_rejected_share = .*/max_rejected_share = 1/'
"$bin" init-db --config "$cfg" >/dev/null 2>&1
"$bin" run --config "$cfg" --job nightly --as-of 2026-10-01 >/dev/null 2>"$scratch/err"
expect_eq "run on SQL_ASCII" "$?" 0
expect_eq "invalid_utf8 counted" "$(sql "SELECT value FROM vocreport.kpi_values WHERE code = 'dq.rejected' AND dims = 'reason=invalid_utf8;table=feedback'")" 2
expect_eq "valid rows kept" "$(sql "SELECT value FROM vocreport.kpi_values WHERE code = 'dq.rows' AND dims = 'table=feedback'")" 4
expect_eq "recorded in runs" "$(sql "SELECT rejected_rows->'feedback'->>'invalid_utf8' FROM vocreport.runs")" 2

psql -qX -v ON_ERROR_STOP=1 >/dev/null <<'SQL' || exit 1
INSERT INTO voc.feedback (feedback_id, customer_id, received_at, channel, brand, body) VALUES
 (5, NULL, '2026-09-14 10:00+02', 'social', E'Rival\xffCo', 'Their delivery was late again'),
 (6, NULL, '2026-09-15 10:00+02', 'social', NULL, 'Our delivery was late');
INSERT INTO voc.survey_responses VALUES
 (1, 1, '2026-09-10 10:00+02', 'delivery', E'e\xffmail', 9, 5, 6),
 (2, 1, '2026-09-11 10:00+02', 'delivery', 'app', 3, 2, 2);
SQL
"$bin" run --config "$cfg" --job nightly --as-of 2026-10-01 >"$scratch/out" 2>"$scratch/err"
expect_eq "run with invalid bytes in channel and brand" "$?" 0 || tail -3 "$scratch/err"
dir=$(head -1 "$scratch/out")
got=$("$py" - "$dir/nightly-2026-10-01-executive.xlsx" <<'PY'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
seen = set()
for ws in wb:
    for row in ws.iter_rows():
        for c in row:
            if isinstance(c.value, str) and "\ufffd" in c.value:
                seen.add("%s: %s" % (ws.title, c.value))
print("\n".join(sorted(seen)))
PY
)
expect_eq "executive workbook opens" "$?" 0
expect_match "channel shows U+FFFD on Scores" "$got" $'^Scores: E\xef\xbf\xbdmail$'
expect_match "brand shows U+FFFD on Share of voice" "$got" $'^Share of voice: Rival\xef\xbf\xbdCo$'
csv=$dir/nightly-2026-10-01-figures.csv
expect_eq "figures CSV is UTF-8" "$("$py" -c 'import sys; open(sys.argv[1], "rb").read().decode("utf-8"); print("utf-8")' "$csv")" utf-8
expect_match "CSV: the channel with U+FFFD" "$(cat "$csv")" $'^[0-9]+,nps_n,channel=e\xef\xbf\xbdmail,1,1,'
expect_match "CSV: the brand with U+FFFD" "$(cat "$csv")" $'^[0-9]+,sov.share,brand=Rival\xef\xbf\xbdCo;'
expect_eq "CSV: no invalid byte left" "$(grep -ac $'\xff' "$csv")" 0
out=$("$ooxml" $(find "$dir" -name '*.xlsx')); expect_eq "every workbook passes the XML check" "$(grep -vc ': ok$' <<<"$out")" 0
# suggest-topics reads the same feedback: the bytes that are not UTF-8 are
# skipped and no character rule applies (its ICU collation does not exist in
# SQL_ASCII): the own-brand rows 1, 4 and 6 are the comments with text.
out=$("$bin" suggest-topics --config "$cfg" --since 2026-09-01 2>&1)
expect_eq "suggest-topics on SQL_ASCII: exit status" "$?" 0
expect_match "suggest-topics on SQL_ASCII: three comments with text" "$out" '^; 3 comments with text; '
finish
