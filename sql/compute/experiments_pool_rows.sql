-- This run's new assignments (experiments_pool.sql): metrics.md
-- "Closed-loop retention experiment".
-- Figures: none. The batch the run records
--   (sql/results/experiment_assignments.sql).
-- Parameters: none.
SELECT customer_id,
       arm
  FROM t_exp_new
 ORDER BY customer_id;
