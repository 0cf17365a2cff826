#!/usr/bin/env bash
# How the sentiment model's settings were chosen, without touching a row
# that bench/accuracy.sh measures: trains on the FIT rows (row % 5 >= 2) of
# every file, our service feedback and the lexicon, and measures on the
# VALID rows (row % 5 == 1; of models/service_feedback.csv too) and on
# bench/service_dev.tsv (hand-written apart from the test sentences, never
# trained on).  Settings come from the environment (VR_SENT_* in
# classify/sentiment_train.c, compiled in only here), e.g.
#
#   VR_SENT_CHARGRAM=0 bench/tune.sh          one setting against the default
#   LODO=1 bench/tune.sh                      also leave each domain out
#   SHOW=1 bench/tune.sh                      list the service_dev misses
#   VR_SENT_HELD=F bench/tune.sh              also write the held-out scores the
#                                             opinion threshold and band are chosen
#                                             on; bench/tune_band.py F compares rules
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
data=${DATA:-$top/../shared/data}
. "$top/bench/sentiment_data.sh"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vr-tune.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
gcc -std=c11 -D_GNU_SOURCE -O2 -Wall -Wextra -Werror -I"$top" -DSENTIMENT_TUNING -o "$tmp/cli" \
    "$top/bench/sentiment_cli.c" "$top/classify/sentiment.c" "$top/classify/sentiment_train.c" "$top/classify/sentiment_exact.c" \
    "$top/classify/sentiment_features.c" "$top/jobs/base/utf8.c" "$top/jobs/base/error.c" \
    "$top/jobs/base/strbuf.c" -lcrypto -lm
s=$tmp/split
mkdir "$s"
sentiment_split "$data" "$s" 2>/dev/null
train() {
    local out=$1 except=${2:-} inputs=()
    while read -r f; do inputs+=("$f"); done < <(sentiment_inputs "$s" fit "$except")
    # EXTRA: more training files to try (space-separated paths)
    "$tmp/cli" train "$out" "${inputs[@]}" ${EXTRA:-}
}
# figure MODEL DOMAIN: sign (negnot and 3-class bal for airline) on VALID
figure() {
    "$tmp/cli" score "$1" < "$s/$2.valid.txt" | paste "$s/$2.valid.labels" - |
        awk -f "$top/bench/sentiment_measure.awk" |
        if [ "$2" = airline ]; then sed 's/.*bal=\([0-9.]*\).*negnot=\([0-9.]*\).*/\2,3c:\1/'
        else sed 's/.*sign=\([0-9.]*\).*/\1/'; fi
}
train "$tmp/m" | sed 's/^/# /'
line=""
for d in $sentiment_domains_zh $sentiment_domains_en; do line="$line $d=$(figure "$tmp/m" "$d")"; done
echo "valid:$line"
for d in $sentiment_domains_service; do
    "$tmp/cli" score "$tmp/m" < "$s/$d.valid.txt" | paste "$s/$d.valid.labels" - |
        awk -f "$top/bench/sentiment_measure.awk" | sed "s/^/$d valid: /"
done
grep -v '^#' "$top/bench/service_dev.tsv" | tail -n +2 > "$tmp/dev.tsv"
cut -f5 "$tmp/dev.tsv" | "$tmp/cli" score "$tmp/m" > "$tmp/dev.scores"
for l in en zh; do
    paste <(cut -f1,2 "$tmp/dev.tsv") "$tmp/dev.scores" | awk -F'\t' -v l="$l" '$1 == l { print $2 "\t" $3 }' |
        awk -f "$top/bench/sentiment_measure.awk" | sed "s/^/service_dev $l: /"
done
if [ "${SHOW:-0}" = 1 ]; then
    paste "$tmp/dev.tsv" "$tmp/dev.scores" | awk -F'\t' '{
        p = $6 > 0.05 ? "pos" : ($6 < -0.05 ? "neg" : "neu"); if (p != $2) print "miss", $1, $2, $6, $5 }'
fi
if [ "${LODO:-0}" = 1 ]; then
    line=""
    for d in $sentiment_domains_zh $sentiment_domains_en; do
        train "$tmp/l" "$d" > /dev/null
        line="$line $d=$(figure "$tmp/l" "$d")"
    done
    echo "leave one out:$line"
fi
