-- A run's new experiment assignments, recorded once its reports are out:
-- metrics.md "Closed-loop retention experiment".
-- Figures: none.
-- Parameters: experiment, assigned_at, ids, arms (assigned_at is the run's
--   T; ids and arms are arrays of the same length: each customer and their
--   arm).
-- A customer keeps the first arm they were given: a rerun of the same night
-- adds nothing.
INSERT INTO :"res".experiment_assignments (experiment, customer_id, arm, assigned_at)
SELECT :'experiment',
       u.id,
       u.arm,
       :'assigned_at'::timestamptz
  FROM unnest(:'ids'::bigint[], :'arms'::text[]) u(id, arm)
ON CONFLICT (experiment, customer_id) DO NOTHING;
