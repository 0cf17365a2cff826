-- Report mail the server took but never confirmed: it may have arrived, so
-- it is sent again only to a recipient the operator names.
-- Figures: none.
-- Parameters: run_id.
SELECT recipient
  FROM :"res".deliveries
 WHERE run_id = :'run_id'::bigint
   AND kind = 'report'
   AND status = 'unconfirmed'
 ORDER BY delivery_id;
