-- The row-change gate's base ([job] gate_row_change_pct, README): the source
-- rows of the job's previous run.
-- Figures: none. Each source table's rows in the job's latest earlier
--   succeeded run, to compare this run's with.
-- Parameters: job, run_id (this run).
-- Run order, not as-of order: the tables are read whole, so the latest load
-- is the right base even for a backfill. Not an ad-hoc range run
-- (parameters' period 'range', jobs/config/period.h): nightlies are compared
-- with nightlies, a day apart, whenever someone asked for a range in between.
SELECT p.run_id,
       s.key AS source_table,
       s.value::bigint AS source_rows
  FROM (SELECT run_id,
               source_rows
          FROM :"res".runs
         WHERE job = :'job'
           AND status = 'succeeded'
           AND run_id < :'run_id'::bigint
           AND source_rows IS NOT NULL
           AND parameters->>'period' IS DISTINCT FROM 'range'
         ORDER BY run_id DESC
         LIMIT 1) p,
       jsonb_each_text(p.source_rows) s;
