-- Runs recorded as running: each is live or was interrupted (its lock says).
-- Figures: none.
-- Parameters: none.
SELECT run_id
  FROM :"res".runs
 WHERE status = 'running'
 ORDER BY run_id;
