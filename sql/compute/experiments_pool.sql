-- The risk pool at T, assigned to an arm: metrics.md "Closed-loop retention
-- experiment".
-- Figures: none. Table t_exp_new, this run's new assignments: the progress
--   and the call list count them, and the run records them
--   (sql/results/experiment_assignments.sql) once its reports are out.
-- Parameters: as_of, lookback_days, nps_max, experiment, treatment_share,
--   enrolling (as_of is T; outside enrollment, enrolling false, the table is
--   made empty, with the same columns).
-- At risk: a customer of the run's population (t_cust, the customer
-- classes) whose latest clean score in the lookback is at most nps_max and
-- who left a negative own-brand feedback row in the same lookback (the
-- upstream sentiment wins over the tag's), not yet assigned to the
-- experiment. The arm is pg_temp.vr_arm (sql/defs/arm_assignment.sql).
CREATE TEMP TABLE t_exp_new AS
WITH l AS (
    SELECT DISTINCT ON (customer_id) customer_id,
           nps
      FROM c_survey_responses
     WHERE nps IS NOT NULL
       AND responded_at >= :'as_of'::timestamptz - :'lookback_days'::int * interval '1 day'
       AND responded_at < :'as_of'::timestamptz
     ORDER BY customer_id, responded_at DESC, response_id DESC
),
neg AS (
    SELECT DISTINCT f.customer_id
      FROM c_feedback f
      LEFT JOIN :"res".feedback_tags g
        ON g.feedback_id = f.feedback_id
     WHERE f.brand IS NULL
       AND f.customer_id IS NOT NULL
       AND pg_temp.vr_negative(coalesce(f.sentiment::real, g.sentiment))
       AND f.received_at >= :'as_of'::timestamptz - :'lookback_days'::int * interval '1 day'
       AND f.received_at < :'as_of'::timestamptz
)
SELECT l.customer_id,
       pg_temp.vr_arm(:'experiment', l.customer_id, :'treatment_share'::float8) AS arm
  FROM l
  JOIN t_cust c USING (customer_id)
  JOIN neg USING (customer_id)
 WHERE :'enrolling'::boolean
   AND l.nps <= :'nps_max'::int
   AND NOT EXISTS (SELECT 1
                     FROM :"res".experiment_assignments a
                    WHERE a.experiment = :'experiment'
                      AND a.customer_id = l.customer_id)
 ORDER BY l.customer_id;
