-- Whether the run is a backfill: its period ends before the end of one this
-- job has already reported (docs/decisions.md, "Finding the feedback to
-- classify"). Such a run is made for late rows of an old period, so the
-- fast path's blind spots (a flush not yet seen, a session without
-- track_counts) would leave them unclassified in the only report of that
-- period: the full search runs instead.
-- Figures: none. A step of the tagging.
-- Parameters: job, period_end, run_id (identifiers: :"res").
SELECT max(r.period_end) AS reported_end
  FROM :"res".runs r
 WHERE r.job = :'job'
   AND r.status = 'succeeded'
   AND r.run_id <> :'run_id'::bigint
   AND r.period_end > :'period_end'::timestamptz
