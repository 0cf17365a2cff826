-- Runs with mail still pending: their process is sending it, or died.
-- Figures: none.
-- Parameters: none.
SELECT DISTINCT run_id
  FROM :"res".deliveries
 WHERE status = 'pending'
 ORDER BY run_id;
