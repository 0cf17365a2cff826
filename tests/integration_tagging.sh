#!/usr/bin/env bash
# The nightly classification: tags are stored with the taxonomy and model
# versions the run records, only untagged rows are classified the next
# night, a taxonomy edit re-tags everything, and "vocreport classify" gives
# the answers a person would on hand-made texts in both languages.
. "$(dirname "$0")/lib.sh"

fresh_db tagging "$here/fixtures/small.sql"
cfg=$scratch/vocreport.ini
make_config "$cfg" 's/^max_rejected_share = .*/max_rejected_share = 1/'
"$bin" init-db --config "$cfg" >/dev/null 2>&1
run() { "$bin" run --config "$cfg" --job nightly --as-of 2026-10-01 >/dev/null 2>"$scratch/err"; }
fig() { sql "SELECT value FROM vocreport.kpi_values WHERE run_id = $(last_run) AND code = '$1'"; }

run; expect_eq "first run" "$?" 0
# small.sql: 10 feedback rows, 9 distinct ids; 3 without usable text.
expect_eq "first night tags every id" "$(fig classify.tagged),$(fig classify.skipped)" "6,3"
expect_eq "tags stored" "$(sql "SELECT count(*) FROM vocreport.feedback_tags")" 9
expect_eq "tags carry the run's versions" "$(sql "SELECT count(*) FROM vocreport.feedback_tags t, vocreport.runs r
    WHERE r.run_id = 1 AND t.taxonomy_version = r.parameters->>'taxonomy_version'
      AND t.model_version = r.parameters->>'sentiment_model_version'")" 9
expect_eq "empty bodies tagged empty" "$(sql "SELECT count(*) FROM vocreport.feedback_tags WHERE sentiment IS NULL AND topics = '{}'")" 3
expect_eq "Chinese complaint tagged negative" "$(sql "SELECT sentiment < -0.05 FROM vocreport.feedback_tags WHERE feedback_id = 9")" t

run; expect_eq "second night classifies nothing new" "$(fig classify.tagged),$(fig classify.skipped)" "0,0"
expect_match "the search for new rows is logged with its time" "$(cat "$scratch/err")" \
    'found 0 feedback rows to classify in [0-9]+\.[0-9]{2} s'
# The search looks at keys and versions only: one tag of an old model is
# redone alone; a tag whose id left the source stays as it is; a later
# copy of a tagged id (rejected as a duplicate) is not new.
tag3() { sql "SELECT topics::text || ' ' || sentiment FROM vocreport.feedback_tags WHERE feedback_id = 3"; }
before=$(tag3)
sql "UPDATE vocreport.feedback_tags SET model_version = 'old' WHERE feedback_id = 3" >/dev/null
sql "INSERT INTO vocreport.feedback_tags (feedback_id, topics, sentiment, taxonomy_version, model_version)
     VALUES (999, '{}', NULL, 'gone', 'gone')" >/dev/null
sql "INSERT INTO voc.feedback SELECT feedback_id, customer_id, response_id, received_at + interval '1 day',
     channel, brand, 'a later copy', topic, sentiment FROM voc.feedback WHERE feedback_id = 3 LIMIT 1" >/dev/null
run; expect_eq "one old tag redone" "$(fig classify.tagged),$(fig classify.skipped)" "1,0"
# The gone id's tag is not searched: only ids the source has are.
expect_match "found the old tag" "$(cat "$scratch/err")" 'found 1 feedback rows to classify'
expect_eq "redone with the run's model" "$(sql "SELECT model_version <> 'old' FROM vocreport.feedback_tags WHERE feedback_id = 3")" t
expect_eq "the kept copy was classified, not the later one" "$(tag3)" "$before"
expect_eq "a gone id's tag is left" "$(sql "SELECT model_version FROM vocreport.feedback_tags WHERE feedback_id = 999")" gone
sql "DELETE FROM voc.feedback WHERE body = 'a later copy'" >/dev/null
sql "INSERT INTO voc.feedback VALUES (50, 1, NULL, '2026-09-20 10:00+02', 'review', NULL, 'The app keeps crashing when I pay', NULL, NULL)" >/dev/null
run; expect_eq "only the new row" "$(fig classify.tagged)" 1

# Words in neither language are a counted rejection, not a figure; a body
# without words ("👍 10/10 !!!") is no text: counted apart, not rejected,
# not classified.
sql "INSERT INTO voc.feedback VALUES (51, 1, NULL, '2026-09-21 10:00+02', 'social', NULL, 'Очень плохо 😡😡', NULL, NULL),
                                     (52, 1, NULL, '2026-09-22 10:00+02', 'social', NULL, '👍 10/10 !!!', NULL, NULL),
                                     (53, 1, NULL, '2026-09-23 10:00+02', 'social', NULL, 'ok 👍', NULL, NULL)" >/dev/null
run; expect_eq "run with unreadable text" "$?" 0
expect_eq "unknown_language counted" "$(sql "SELECT value FROM vocreport.kpi_values WHERE run_id = $(last_run) AND code = 'dq.rejected' AND dims = 'reason=unknown_language;table=feedback'")" 1
expect_eq "unknown_language in runs" "$(sql "SELECT rejected_rows->'feedback'->>'unknown_language' FROM vocreport.runs ORDER BY run_id DESC LIMIT 1")" 1
expect_eq "no text counted apart" "$(sql "SELECT value FROM vocreport.kpi_values WHERE run_id = $(last_run) AND code = 'dq.no_text' AND dims = 'table=feedback'")" 1
expect_eq "no text is no rejection" "$(sql "SELECT rejected_rows->'feedback' ? 'no_text' FROM vocreport.runs ORDER BY run_id DESC LIMIT 1")" f
expect_eq "no text not classified" "$(sql "SELECT topics = '{}' AND sentiment IS NULL FROM vocreport.feedback_tags WHERE feedback_id = 52")" t
ref=$("$py" "$here/reference.py" --db "$PGDATABASE" --run-id "$(last_run)" 2>&1)
expect_eq "reference agrees with the language rule" "$?" 0
printf '%s\n' "$ref" | tail -2

# A taxonomy edit (a new keyword) is a new version: every row is re-tagged.
tax=$scratch/taxonomy.ini
sed 's/^keywords_en = \(.*\)/keywords_en = \1, zzzyzzy/' "$top/config/taxonomy.ini" > "$tax"
sed -i "s|^taxonomy =.*|taxonomy = $tax|" "$cfg"
run; expect_eq "taxonomy edit re-tags all" "$(fig classify.tagged),$(fig classify.skipped)" "9,4"

# What a person would answer (sentiment sign; first topic).
while IFS=$'\t' read -r text want_sign want_topic; do
    out=$(printf '%s\n' "$text" | "$bin" classify --config "$cfg")
    score=${out%%$'\t'*}; topics=${out#*$'\t'}
    # awk reads a missing score as "" < -0.05: a number first, or "neg" proves nothing
    expect_match "classify \"$text\" prints a score" "$score" '^-?[0-9]+(\.[0-9]+)?$'
    sign=$(awk -v s="$score" 'BEGIN { print (s < -0.05) ? "neg" : (s > 0.05 ? "pos" : "neutral") }')
    expect_eq "sentiment of \"$text\"" "$sign" "$want_sign"
    [ -n "$want_topic" ] && expect_eq "topic of \"$text\"" "${topics%%,*}" "$want_topic"
done <<'CASES'
The parcel was delivered three days late	neg	late_delivery
Great quality, fast delivery, very happy	pos	
This is not good at all	neg	
I was not disappointed, excellent service	pos	
送货太慢了，等了一个星期	neg	late_delivery
不好吃，而且很贵	neg	
非常好吃，下次还会再来	pos	
没有问题，很满意	pos	
APP一直闪退，根本没法用	neg	app_bugs
Because it was easy	pos	
No complaints, everything arrived on time	pos	
Because	neutral	
因为	neutral	
CASES
# a function word alone is no opinion at all: exactly 0
expect_eq "classify \"Because\" prints 0" "$(printf 'Because\n' | "$bin" classify --config "$cfg" | cut -f1)" "0.000"
expect_eq "classify keeps one line per input" "$(printf 'a\n\nb\n' | "$bin" classify --config "$cfg" | wc -l)" 3
finish
