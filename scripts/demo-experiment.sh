#!/usr/bin/env bash
# Prints the shipped config's example retention experiment
# ([experiment.call_detractors], commented out in config/vocreport.ini)
# as an active section starting on START, for the configs that run it:
# the demo's (scripts/demo.sh) and the bench's (bench/run.sh --experiment).
# Usage: scripts/demo-experiment.sh START   (YYYY-MM-DD)
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: $0 START" >&2; exit 2; }
top=$(cd "$(dirname "$0")/.." && pwd)
# The commented settings (";key = value"), not the prose (";" then a space).
section=$(sed -n '/^;\[experiment\.call_detractors\]$/,/^;counts_in_roi = /p' "$top/config/vocreport.ini" |
    sed -n 's/^;\([^ ;]\)/\1/p' | sed "s/^start = .*/start = $1/")
case $section in
*"start = $1"*counts_in_roi*) printf '%s\n' "$section" ;;
*) echo "$0: no example experiment in config/vocreport.ini" >&2; exit 1 ;;
esac
