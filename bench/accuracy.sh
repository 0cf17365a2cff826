#!/usr/bin/env bash
# Accuracy and speed of the sentiment model (classify/sentiment.c), measured
# on rows it was not trained on, and of the topic matcher on the airline
# complaint reasons (tests/airline_taxonomy.ini, tuned on the "even" half,
# measured on the "odd" half: parity of tweet_id >> 22, the tweet's time).  Needs gcc, OpenSSL headers and the shared
# data sets (../shared/data, or --data DIR).
#
#   bench/accuracy.sh                  measure; non-zero exit when a target is missed
#   bench/accuracy.sh --update-model   also replace models/sentiment-default.model
#
# Splits, by row number n (the n-th record after the header):
#   zh/waimai_10k.csv               n % 5 == 0 -> TEST, else TRAIN
#   zh/online_shopping_10_cats.csv  cat 酒店 (hotel) -> HELD-OUT (every row,
#                                   never trained on); other rows: n % 5 == 0
#                                   -> TEST, else TRAIN
#   en/airline_tweets.csv           n % 5 == 0 -> TEST, else TRAIN; label 0 for
#                                   negative, 1 for neutral and positive
# The model is trained on the three TRAIN parts together (exactly how the
# shipped model is made) and measured on TEST and HELD-OUT rows.  Rows with
# an empty text are left out of the measured sets.  Predicted negative means
# score < -0.05, the reports' threshold; anything else counts as positive
# (Chinese) or not negative (English).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
data=$top/../shared/data
update=0
while [ $# -gt 0 ]; do
    case $1 in
    --data) data=$2; shift 2 ;;
    --update-model) update=1; shift ;;
    *) echo "usage: $0 [--data DIR] [--update-model]" >&2; exit 2 ;;
    esac
done
for f in zh/waimai_10k.csv zh/online_shopping_10_cats.csv en/airline_tweets.csv; do
    [ -r "$data/$f" ] || { echo "accuracy: cannot read $data/$f" >&2; exit 2; }
done
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vr-accuracy.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
cflags=(-std=c11 -D_GNU_SOURCE -O2 -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wvla -I"$top")
gcc "${cflags[@]}" -o "$tmp/sentiment_cli" "$top/bench/sentiment_cli.c" "$top/classify/sentiment.c" \
    "$top/classify/sentiment_features.c" "$top/classify/utf8.c" "$top/jobs/error.c" "$top/jobs/strbuf.c" -lcrypto -lm
gcc "${cflags[@]}" -o "$tmp/accuracy_split" "$top/bench/accuracy_split.c"
cli=$tmp/sentiment_cli
s=$tmp/split
mkdir "$s"
"$tmp/accuracy_split" waimai "$data/zh/waimai_10k.csv" "$s" 2>>"$tmp/split.log"
"$tmp/accuracy_split" shopping "$data/zh/online_shopping_10_cats.csv" "$s" 2>>"$tmp/split.log"
"$tmp/accuracy_split" airline "$data/en/airline_tweets.csv" "$s" 2>>"$tmp/split.log"
sed 's/^accuracy_split: /split: /' "$tmp/split.log"

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
t0=$(now)
"$cli" train "$tmp/model" "$s/waimai.train.csv" "$s/shopping.train.csv" "$s/airline.train.csv" | sed 's/^/train: /'
t1=$(now)
echo "train: $(elapsed "$t0" "$t1") s, model $(stat -c %s "$tmp/model") bytes"

shipped=$top/models/sentiment-default.model
status=0
if [ "$update" = 1 ]; then
    cp "$tmp/model" "$shipped"
    echo "model: models/sentiment-default.model updated ($("$cli" info "$shipped" | cut -d' ' -f2 | tr -d :))"
elif ! cmp -s "$tmp/model" "$shipped"; then
    echo "model: FAIL models/sentiment-default.model is not what this code trains; run $0 --update-model"
    status=1
else
    echo "model: models/sentiment-default.model is byte for byte what this code trains"
fi

# measure NAME FILE ROWS TARGET: prints one line, returns 1 when below target
measure() {
    local set=$1 file=$2 rows=$3 target=$4
    "$cli" score "$tmp/model" < "$s/$set.txt" > "$tmp/$set.scores"
    paste "$s/$set.labels" "$tmp/$set.scores" | awk -v file="$file" -v rows="$rows" -v target="$target" '
        { n++; pred = ($2 < -0.05) ? 0 : 1; ok += (pred == $1) }
        END {
            acc = ok / n
            verdict = target == "" ? "(no target)" : (acc >= target ? "ok (>= " target ")" : "FAIL (>= " target ")")
            printf "%-31s n=%6d  accuracy=%.4f  %-18s %s\n", file, n, acc, verdict, rows
            exit (target != "" && acc < target) }'
}
echo
echo "accuracy (negative = score < -0.05):"
measure waimai.test zh/waimai_10k.csv "TEST rows (row % 5 == 0)" 0.88 || status=1
measure airline.test en/airline_tweets.csv "TEST rows (row % 5 == 0), negative vs not" 0.85 || status=1
measure shopping.hotel zh/online_shopping_10_cats.csv "all 酒店 (hotel) rows: a domain not trained on" 0.80 || status=1
measure shopping.test zh/online_shopping_10_cats.csv "TEST rows (row % 5 == 0) of the 9 other cats" "" || true

# Throughput: the measured texts, repeated to 1,000,000 lines, scored by the
# same code the nightly run uses (reading and printing included).
cat "$s/waimai.test.txt" "$s/airline.test.txt" "$s/shopping.hotel.txt" "$s/shopping.test.txt" > "$tmp/mix.txt"
copies=$(( 1000000 / $(wc -l < "$tmp/mix.txt") + 1 ))
for ((k = 0; k < copies; k++)); do cat "$tmp/mix.txt"; done | awk 'NR <= 1000000' > "$tmp/million.txt"
lines=$(wc -l < "$tmp/million.txt")
bytes=$(wc -c < "$tmp/million.txt")
t0=$(now)
"$cli" score "$tmp/model" < "$tmp/million.txt" > /dev/null
t1=$(now)
echo
awk -v a="$t0" -v b="$t1" -v n="$lines" -v bytes="$bytes" 'BEGIN {
    s = b - a
    printf "throughput: %d texts (mean %d bytes) scored in %.1f s (%.1f us each)  %s\n", n, bytes / n, s,
        s * 1e6 / n, s <= 60 ? "ok, target <= 60 s" : "FAIL, target <= 60 s"
    exit (s > 60) }' || status=1

# Topics: best topic = the tweet's complaint reason (negative tweets with a
# reason other than "Can't Tell").
gcc "${cflags[@]}" $(pkg-config --cflags inih) -o "$tmp/taxonomy_accuracy" "$top/tests/taxonomy_accuracy.c" \
    "$top/classify/taxonomy.c" "$top/classify/utf8.c" "$top/jobs/error.c" "$top/jobs/strbuf.c" \
    "$top/jobs/ini_file.c" $(pkg-config --libs inih) -lcrypto
echo
for half in even odd; do
    target=""
    [ "$half" = odd ] && target=0.65
    "$tmp/taxonomy_accuracy" "$top/tests/airline_taxonomy.ini" "$data/en/airline_tweets.csv" "$half" $target \
        | sed "s/^/topics ($half half$([ "$half" = even ] && echo ", tuned on" || echo ", measured")): /" || status=1
done
exit $status
