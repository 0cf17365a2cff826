-- A running experiment's customers per arm: metrics.md "Closed-loop
-- retention experiment".
-- Figures: exp.customers, exp.status.
-- Parameters: experiment, as_of (T, timestamptz).
-- Assigned up to T, this run's new ones included (t_exp_new is empty for a
-- run outside enrollment).
SELECT arm,
       count(*) AS customers
  FROM (SELECT arm
          FROM :"res".experiment_assignments
         WHERE experiment = :'experiment'
           AND assigned_at <= :'as_of'::timestamptz
        UNION ALL
        SELECT arm
          FROM t_exp_new) a
 GROUP BY arm;
