-- An experiment's intervention costs: metrics.md "Closed-loop retention
-- experiment".
-- Figures: exp.cost.
-- Parameters: start, evaluated_at (the experiment's start date and its
--   evaluation moment).
-- Every month from the start month that begins before the evaluation moment,
-- summed as numeric: to the cent.
SELECT coalesce(sum(amount), 0) AS cost
  FROM src_program_costs
 WHERE category = 'intervention'
   AND month >= date_trunc('month', :'start'::date)::date
   AND month::timestamptz < :'evaluated_at'::timestamptz;
