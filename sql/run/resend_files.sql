-- A delivery's files in its order, each with the checksum its run recorded
-- (NULL: not among the run's outputs), so resend refuses a file changed or
-- replaced since publication.
-- Figures: none.
-- Parameters: delivery_id, run_id.
SELECT f.path,
       o.sha256
  FROM :"res".deliveries d,
       unnest(d.files) WITH ORDINALITY f(path, i)
       LEFT JOIN :"res".outputs o
              ON o.run_id = :'run_id'::bigint
             AND o.path = f.path
 WHERE d.delivery_id = :'delivery_id'::bigint
 ORDER BY f.i;
