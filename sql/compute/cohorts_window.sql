-- The topic cohorts' exposure window, [T - cohort_window_months,
-- T - outcome_gap_months), as its first and last local day (both included):
-- the pages name them.  metrics.md "Root causes and topic cohorts",
-- pg_temp.vr_cohort_window (sql/defs/cohort_window.sql).
-- Figures: none.
-- Parameters: as_of, window_months, gap_months (T, timestamptz; int).
SELECT to_char(lo, 'YYYY-MM-DD') AS first_day,
       to_char(hi - interval '1 day', 'YYYY-MM-DD') AS last_day
  FROM pg_temp.vr_cohort_window(:'as_of'::timestamptz,
                                :'window_months'::int,
                                :'gap_months'::int);
