-- An interrupted run whose reports were published: 'succeeded'.  Only from
-- 'running': no row changed means another process handled it.
-- Figures: none.
-- Parameters: run_id.
UPDATE :"res".runs
   SET status = 'succeeded',
       finished_at = clock_timestamp()
 WHERE run_id = :'run_id'::bigint
   AND status = 'running';
