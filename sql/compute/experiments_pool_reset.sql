-- Forgets the previous experiment's risk pool: metrics.md "Closed-loop
-- retention experiment".
-- Figures: none. experiments_pool.sql makes t_exp_new again for each
--   experiment of the run.
-- Parameters: none.
DROP TABLE IF EXISTS t_exp_new;
