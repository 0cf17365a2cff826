#!/usr/bin/env bash
# scikit-learn's linear models on our sentiment rows (bench/sentiment_reference.py), kept nice.
exec nice /usr/bin/python3 "$(dirname "$0")/sentiment_reference.py" "$@"
