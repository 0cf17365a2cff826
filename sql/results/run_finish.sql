-- A run's end (or its outputs recorded while it is still 'running'):
-- outputs.md "runs".
-- Figures: none.
-- Parameters: run_id, status, error, source_rows, rejected_rows, db_seconds,
--   output_dir, parameters. source_rows, rejected_rows and parameters are
--   jsonb text.
UPDATE :"res".runs
   SET status = :'status',
       -- Still 'running': the files are not in place yet, so no end time.
       finished_at = CASE WHEN :'status' = 'running' THEN NULL
                          ELSE clock_timestamp() END,
       error = :'error',
       source_rows = :'source_rows'::jsonb,
       rejected_rows = :'rejected_rows'::jsonb,
       db_seconds = :'db_seconds',
       output_dir = :'output_dir',
       parameters = :'parameters'::jsonb
 WHERE run_id = :'run_id';
