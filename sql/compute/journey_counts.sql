-- Survey and feedback counts per touchpoint and period: metrics.md
-- "Departments, targets and closure" (the journey map).
-- Figures: none. The counts behind journey.* (journey_figures.sql), the
--   departments' survey KPIs and the warnings (dept_counts.sql): table
--   t_touchpoint_counts.
-- Parameters: none (the periods are the run's history, t_periods).
-- A touchpoint NULL in the data is "unknown", as in the survey scores.
-- Feedback counts under the touchpoint of the survey response it answers,
-- known by the period's end; a negative mention as in the topic figures:
-- the upstream sentiment when set, else the tag's.
-- Rows outside the whole history are dropped before the join with the
-- periods: the join tests each row against every period, and half the
-- rows lie before the first (at 1 M, 12 M tests became 5 M: 2.85 s to
-- about 2.0 s in EXPLAIN ANALYZE, the same 48 rows).
CREATE TEMP TABLE t_touchpoint_counts AS
WITH s AS (
    SELECT p.k,
           coalesce(r.touchpoint, 'unknown') AS tp,
           count(*) AS responses,
           count(r.nps) AS scored,
           count(*) FILTER (WHERE r.nps >= 9) AS promoters,
           count(*) FILTER (WHERE r.nps <= 6) AS detractors,
           count(r.csat) AS csat_n,
           count(*) FILTER (WHERE r.csat >= 4) AS csat_top2,
           count(r.ces) AS ces_n,
           coalesce(sum(r.ces), 0) AS ces_sum
      FROM c_survey_responses r
      JOIN t_periods p
        ON r.responded_at >= p.lo
       AND r.responded_at < p.hi
     WHERE r.responded_at >= (SELECT min(lo) FROM t_periods)
       AND r.responded_at < (SELECT max(hi) FROM t_periods)
     GROUP BY p.k, 2
),
f AS (
    SELECT p.k,
           coalesce(r.touchpoint, 'unknown') AS tp,
           count(*) AS fb_n,
           count(*) FILTER (WHERE pg_temp.vr_negative(coalesce(f.sentiment::real, g.sentiment)))
               AS fb_neg
      FROM c_feedback f
      JOIN t_periods p
        ON f.received_at >= p.lo
       AND f.received_at < p.hi
      JOIN c_survey_responses r
        ON r.response_id = f.response_id
       AND r.responded_at < p.hi
      LEFT JOIN :"res".feedback_tags g
        ON g.feedback_id = f.feedback_id
     WHERE f.brand IS NULL
       AND f.received_at >= (SELECT min(lo) FROM t_periods)
       AND f.received_at < (SELECT max(hi) FROM t_periods)
     GROUP BY p.k, 2
)
SELECT k,
       tp,
       coalesce(responses, 0) AS responses,
       coalesce(scored, 0) AS scored,
       coalesce(promoters, 0) AS promoters,
       coalesce(detractors, 0) AS detractors,
       coalesce(csat_n, 0) AS csat_n,
       coalesce(csat_top2, 0) AS csat_top2,
       coalesce(ces_n, 0) AS ces_n,
       coalesce(ces_sum, 0) AS ces_sum,
       coalesce(fb_n, 0) AS fb_n,
       coalesce(fb_neg, 0) AS fb_neg
  FROM s
  FULL JOIN f USING (k, tp);

-- The journey and department queries join this table by touchpoint: their
-- plans need its size.
ANALYZE t_touchpoint_counts;
