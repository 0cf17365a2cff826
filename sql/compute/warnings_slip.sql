-- Promoters slipping to passive: docs/decisions.md "Departments, targets and
-- closure" (warn.promoter_to_passive), overall and per department.
-- Figures: warn.promoter_to_passive.
-- Parameters: period_start, as_of, lookback_start, touchpoints, departments
--   (timestamptz: the period's start, T, T less segment_lookback_months;
--   text[] of the same length: each owned touchpoint and its department).
-- Customers whose latest scored response of the lookback is in the period
-- and whose scored response just before it was 9-10; ties on responded_at
-- go to the higher response_id, as for the classes.  A customer counts for
-- the department owning the touchpoint of the latest response (overall
-- only when nobody owns it).
WITH scored AS (
    SELECT customer_id,
           responded_at,
           nps,
           coalesce(touchpoint, 'unknown') AS tp,
           row_number() OVER (PARTITION BY customer_id
                              ORDER BY responded_at DESC, response_id DESC) AS rn
      FROM c_survey_responses
     WHERE nps IS NOT NULL
       AND responded_at >= :'lookback_start'::timestamptz
       AND responded_at < :'as_of'::timestamptz
       -- only a customer with a scored response in the period can slip in
       -- it (its latest is then in the period): a fraction of the lookback's
       -- responses to sort
       AND customer_id IN (SELECT customer_id
                             FROM c_survey_responses
                            WHERE nps IS NOT NULL
                              AND responded_at >= :'period_start'::timestamptz
                              AND responded_at >= :'lookback_start'::timestamptz
                              AND responded_at < :'as_of'::timestamptz)
),
slipped AS (
    SELECT latest.tp,
           latest.nps
      FROM scored latest
      JOIN scored before
        ON before.customer_id = latest.customer_id
       AND before.rn = 2
     WHERE latest.rn = 1
       AND latest.responded_at >= :'period_start'::timestamptz
       AND before.nps >= 9
)
SELECT GROUPING(o.dept) AS is_overall,
       o.dept,
       count(*) FILTER (WHERE s.nps BETWEEN 7 AND 8) AS passives,
       count(*) AS customers
  FROM slipped s
  LEFT JOIN unnest(:'touchpoints'::text[], :'departments'::text[]) AS o(tp, dept)
         ON o.tp = s.tp
 GROUP BY GROUPING SETS ((), (o.dept));
