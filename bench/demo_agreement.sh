#!/usr/bin/env bash
# Does the sentiment model agree with the demo data's upstream sentiment?
# Generates the demo data (scripts/demo-data.sh, as scripts/demo.sh does)
# into a database of the throwaway cluster (var/pg), scores the text of
# every feedback row that carries an upstream sentiment with the model
# (as "vocreport classify" would), and compares the classes the reports
# use: negative below -0.05, positive above 0.05, neutral in between.
# Prints the agreement (the verdict against the target), the score's sign
# against the upstream value's on the rows where that has a side (the
# issue's words read literally, printed beside it, not judged), the
# confusion counts and the texts most often disagreed on.
#
#   bench/demo_agreement.sh [--model FILE] [--customers N] [--responses N] [--seed S]
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
model=$top/models/sentiment-default.model customers=20000 responses=100000 seed=42
while [ $# -gt 0 ]; do
    case $1 in
    --model) model=$2; shift 2 ;;
    --customers) customers=$2; shift 2 ;;
    --responses) responses=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    *) echo "usage: $0 [--model FILE] [--customers N] [--responses N] [--seed S]" >&2; exit 2 ;;
    esac
done
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vr-demo-agreement.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
gcc -std=c11 -D_GNU_SOURCE -O2 -Wall -Wextra -Werror -I"$top" -o "$tmp/sentiment_cli" \
    "$top/bench/sentiment_cli.c" "$top/classify/sentiment.c" "$top/classify/sentiment_train.c" "$top/classify/sentiment_exact.c" \
    "$top/classify/sentiment_features.c" "$top/jobs/base/utf8.c" "$top/jobs/base/error.c" \
    "$top/jobs/base/strbuf.c" -lcrypto -lm
"$top/scripts/pg.sh" start
eval "$("$top/scripts/pg.sh" env)"
export PGDATABASE=vocreport_agreement PGTZ=Europe/Berlin
dropdb --if-exists "$PGDATABASE" 2>/dev/null
createdb "$PGDATABASE"
"$top/scripts/demo-data.sh" --db "$PGDATABASE" --seed "$seed" --customers "$customers" \
    --responses "$responses" > /dev/null
# the reports compare as real (kpi_topics.c): a stored 0.05 is neutral
psql -XAtqF $'\t' -c "SELECT CASE WHEN sentiment < real '-0.05' THEN 'neg'
                                  WHEN sentiment > real '0.05' THEN 'pos' ELSE 'neu' END,
                             translate(body, E'\n\r\t', '   ')
                      FROM voc.feedback WHERE sentiment IS NOT NULL ORDER BY feedback_id" > "$tmp/rows"
cut -f2 "$tmp/rows" | "$tmp/sentiment_cli" score "$model" > "$tmp/scores"
paste "$tmp/rows" "$tmp/scores" | awk -F'\t' '
    { p = ($3 < -0.05) ? "neg" : ($3 > 0.05) ? "pos" : "neu"
      n++; rows[$1]++; c[$1 " -> " p]++
      if (p == $1) { ok++; hit[$1]++ }
      # the words of the issue read literally: the sign of the score against
      # a signed upstream value (an upstream neutral row has none to agree with)
      if ($1 != "neu") { signed++; same += ($1 == "pos") ? ($3 > 0) : ($3 < 0) } }
    END {
        printf "demo rows with an upstream sentiment: %d; the model agrees on %d (%.4f)  %s\n",
            n, ok, ok / n, (ok / n >= 0.97) ? "ok (>= 0.97)" : "FAIL (>= 0.97)"
        printf "  sign of the score on the %d rows whose upstream value has a side (beyond -0.05..0.05): %d (%.4f)\n",
            signed, same, same / signed
        for (u in rows) printf "  upstream %s: %d of %d agree (%.4f)\n", u, hit[u], rows[u], hit[u] / rows[u]
        for (k in c) printf "  upstream -> model %s: %d\n", k, c[k]
        exit (ok / n < 0.97) }' || status=$?
echo "texts most often disagreed on (upstream -> model, brand prefix removed):"
paste "$tmp/rows" "$tmp/scores" | awk -F'\t' '{
        p = ($3 < -0.05) ? "neg" : ($3 > 0.05) ? "pos" : "neu"
        if (p != $1) print $1 " -> " p "\t" $2 }' |
    sed -E 's/\t(About [A-Za-z]+: |@[A-Za-z]+ |【[^】]*】|#[^#]*# )/\t/' | sort | uniq -c | sort -rn | awk 'NR <= 25'
dropdb "$PGDATABASE"
exit "${status:-0}"
