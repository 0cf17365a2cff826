-- Mail a dead process left pending: 'failed', so resend sends it; the rows
-- say whom to alert.
-- Figures: none.
-- Parameters: run_id, why.
UPDATE :"res".deliveries
   SET status = 'failed',
       last_error = :'why'
 WHERE run_id = :'run_id'::bigint
   AND status = 'pending'
RETURNING recipient,
          kind;
