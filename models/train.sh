#!/usr/bin/env bash
# Trains models/sentiment-default.model from the shared data sets
# (../shared/data, or --data DIR; never copied into this repository) with
# "vocreport train-sentiment", exactly as shipped: the training part of
# every file (models/README.md says which rows), then our own service
# feedback and service lexicon (models/*.csv, weight column included), the
# same code a company retrains with.  bench/accuracy.sh checks that the
# shipped file is byte for byte what this trains, and measures it on the
# other rows.
#
#   models/train.sh [--data DIR] [--output FILE]
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
data=$top/../shared/data
out=$top/models/sentiment-default.model
while [ $# -gt 0 ]; do
    case $1 in
    --data) data=$2; shift 2 ;;
    --output) out=$2; shift 2 ;;
    *) echo "usage: $0 [--data DIR] [--output FILE]" >&2; exit 2 ;;
    esac
done
. "$top/bench/sentiment_data.sh"
build=$("$top/scripts/setup.sh")
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vr-train.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
sentiment_split "$data" "$tmp" 2>"$tmp/split.log" || { cat "$tmp/split.log" >&2; exit 1; }
sed 's/^accuracy_split: /split: /' "$tmp/split.log"
args=()
while read -r f; do args+=(--input "$f"); done < <(sentiment_inputs "$tmp" train)
"$build/vocreport" train-sentiment "${args[@]}" --output "$out"
