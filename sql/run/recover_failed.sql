-- An interrupted run that had not published: 'failed' with the reason.
-- Only from 'running': no row changed means another process handled it.
-- Figures: none.
-- Parameters: run_id, why.
UPDATE :"res".runs
   SET status = 'failed',
       finished_at = clock_timestamp(),
       error = :'why'
 WHERE run_id = :'run_id'::bigint
   AND status = 'running';
