-- The mail a run planned but will not send (it failed before publishing):
-- 'cancelled' with the reason, so nobody resends it.
-- Figures: none.
-- Parameters: run_id, why.
UPDATE :"res".deliveries
   SET status = 'cancelled',
       last_error = :'why'
 WHERE run_id = :'run_id'::bigint
   AND status IN ('pending', 'held');
