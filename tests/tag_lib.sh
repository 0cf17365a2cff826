# Shared by the tests of the search for feedback to classify
# (integration_tagsearch.sh, integration_tagbackfill.sh); sourced after
# lib.sh, with $cfg the test's config and the job's stderr in $scratch/err.

# The log's line of the search, without its time.
found() { grep -o 'found [0-9]* feedback rows to classify in [0-9.]* s (.*)' "$scratch/err" | sed 's/ in [0-9.]* s//'; }
# A change the way a feed makes it: its counters reach the statistics
# before the session answers (forced, so the test does not race the flush).
counted() { psql -XAtq -v ON_ERROR_STOP=1 -c "$1" -c "SELECT pg_stat_force_next_flush()" >/dev/null; }
# A change the statistics never see: a superuser's session without track_counts.
uncounted() { psql -XAtq -v ON_ERROR_STOP=1 -c "SET track_counts = off" -c "$1" >/dev/null; }
tag() { sql "SELECT topics::text || ' ' || round(sentiment::numeric, 3) FROM vocreport.feedback_tags WHERE feedback_id = $1"; }
# What "vocreport classify" says of a text, in the form tag() prints.
classified() {
    printf '%s\n' "$1" | "$bin" classify --config "$cfg" |
        awk -F '\t' '{ printf "{%s} %.3f\n", $2, $1 }'
}
same="nothing changed since the last full search"
