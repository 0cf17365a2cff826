-- The files a run recorded, to check whether its swap happened (every one
-- on disk as recorded).
-- Figures: none.
-- Parameters: run_id.
SELECT path,
       sha256
  FROM :"res".outputs
 WHERE run_id = :'run_id'::bigint;
