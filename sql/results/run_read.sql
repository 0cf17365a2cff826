-- A recorded run, with its dates as the job's calendar shows them.
-- Figures: none.
-- Parameters: run_id.
SELECT job,
       status,
       to_char(as_of AT TIME ZONE time_zone, 'YYYY-MM-DD') AS as_of,
       to_char(period_start AT TIME ZONE time_zone, 'YYYY-MM-DD') AS first_day,
       -- period_end is exclusive: the last day is the day before it.
       to_char((period_end AT TIME ZONE time_zone) - interval '1 day', 'YYYY-MM-DD') AS last_day,
       parameters->>'locale' AS locale,
       output_dir
  FROM :"res".runs
 WHERE run_id = :'run_id'::bigint;
