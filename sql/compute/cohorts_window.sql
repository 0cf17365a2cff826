-- The topic cohorts' exposure window, [T - cohort_window_months,
-- T - outcome_gap_months), as its first and last local day (both included):
-- the pages name them.  metrics.md "Root causes and topic cohorts".
-- Figures: none.
-- Parameters: as_of, window_months, gap_months (T, timestamptz; int).
SELECT to_char(:'as_of'::timestamptz - :'window_months'::int * interval '1 month',
               'YYYY-MM-DD') AS first_day,
       to_char(:'as_of'::timestamptz - :'gap_months'::int * interval '1 month'
               - interval '1 day',
               'YYYY-MM-DD') AS last_day;
