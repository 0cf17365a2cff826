-- What became of one mail after a send: its status, the attempts it took,
-- the last error, and when it went out.
-- Figures: none.
-- Parameters: delivery_id, status, attempts, error.
UPDATE :"res".deliveries
   SET status = :'status',
       attempts = attempts + :'attempts'::int,
       last_error = :'error',
       sent_at = CASE WHEN :'status' = 'sent' THEN clock_timestamp()
                      ELSE sent_at END
 WHERE delivery_id = :'delivery_id'::bigint;
