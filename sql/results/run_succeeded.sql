-- A run whose files are in place: 'succeeded'.  Only from 'running': no
-- row changed means another process (recover_all, after a lost connection)
-- marked it meanwhile, and the caller says so.
-- Figures: none.
-- Parameters: run_id.
UPDATE :"res".runs
   SET status = 'succeeded',
       finished_at = clock_timestamp(),
       error = NULL
 WHERE run_id = :'run_id'::bigint
   AND status = 'running';
