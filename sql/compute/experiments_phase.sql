-- Where an experiment stands at T: metrics.md "Closed-loop retention
-- experiment".
-- Figures: none. Which figures an experiment gets (exp.*): none before its
--   start, progress while it runs, the evaluation once it is due.
-- Parameters: as_of, start, enrollment_days, evaluation_months (as_of is T,
--   start the experiment's start date).
-- Local calendar (the session time zone is the job's): enrolling from the
-- start day for enrollment_days days; evaluated evaluation_months after
-- enrollment ends. cost_from is the first day of the start month, from which
-- the intervention costs count (experiments_cost.sql).
SELECT :'as_of'::timestamptz >= :'start'::date::timestamptz AS started,
       :'as_of'::timestamptz < (:'start'::date + :'enrollment_days'::int)::timestamptz AS enrolling,
       :'as_of'::timestamptz >= e.at AS evaluated,
       e.at AS evaluated_at,
       to_char(e.at, 'YYYY-MM-DD') AS evaluation_day,
       to_char(date_trunc('month', :'start'::date), 'YYYY-MM-DD') AS cost_from
  FROM (SELECT (:'start'::date + :'enrollment_days'::int)::timestamptz
                   + :'evaluation_months'::int * interval '1 month' AS at) e;
