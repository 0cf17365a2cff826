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
-- The periods' bounds, in order, cut the history into segments
-- [bounds[i], bounds[i + 1]), and every period is a run of whole segments.
-- Each row finds its segment by a binary search (width_bucket) and is
-- counted once per segment and touchpoint (one hash aggregate); the few
-- segment counts are then added up per period.  Testing every row against
-- every period cost 12 tests a row (at 1 M, 0.80 s of the night).  Rows
-- outside the whole history have no segment and are dropped first.  Counts
-- and integer sums: the order of the additions changes nothing (the sums
-- of sums are cast back to the bigint of a count or of a sum of smallints).
-- Sorting is off for the statement: the planner cannot tell how few
-- segments a width_bucket gives, guesses millions of groups and, at 10 M
-- responses, sorted 4.4 million rows on disk to group them into 48 (8.1 s
-- where the hash aggregate takes 4.8 s; docs/benchmark.md "Journey counts
-- at 10 M").
SET enable_sort = off;
CREATE TEMP TABLE t_touchpoint_counts AS
WITH
b AS MATERIALIZED (
    SELECT array_agg(at ORDER BY at) AS bounds,
           min(at) AS first_at,
           max(at) AS last_at
      FROM (SELECT lo FROM t_periods
            UNION
            SELECT hi FROM t_periods) AS x(at)
),
-- each segment with each period it lies in
seg AS (
    SELECT i,
           p.k,
           p.hi
      FROM b
     CROSS JOIN generate_series(1, cardinality(b.bounds) - 1) AS i
      JOIN t_periods p
        ON b.bounds[i] >= p.lo
       AND b.bounds[i + 1] <= p.hi
),
-- MATERIALIZED: aggregated on their own, by hash, before the join with
-- the periods
s_seg AS MATERIALIZED (
    SELECT width_bucket(r.responded_at, b.bounds) AS i,
           coalesce(r.touchpoint, 'unknown') AS tp,
           count(*) AS responses,
           count(r.nps) AS scored,
           count(*) FILTER (WHERE r.nps >= 9) AS promoters,
           count(*) FILTER (WHERE r.nps <= 6) AS detractors,
           count(r.csat) AS csat_n,
           count(*) FILTER (WHERE r.csat >= 4) AS csat_top2,
           count(r.ces) AS ces_n,
           sum(r.ces) AS ces_sum
      FROM c_survey_responses r
     CROSS JOIN b
     WHERE r.responded_at >= b.first_at
       AND r.responded_at < b.last_at
     GROUP BY 1, 2
),
s AS (
    SELECT p.k,
           x.tp,
           sum(x.responses)::bigint AS responses,
           sum(x.scored)::bigint AS scored,
           sum(x.promoters)::bigint AS promoters,
           sum(x.detractors)::bigint AS detractors,
           sum(x.csat_n)::bigint AS csat_n,
           sum(x.csat_top2)::bigint AS csat_top2,
           sum(x.ces_n)::bigint AS ces_n,
           sum(x.ces_sum)::bigint AS ces_sum
      FROM s_seg x
      JOIN seg p USING (i)
     GROUP BY p.k, x.tp
),
-- The answered response's moment by its segment too (0: before the first
-- bound): as every period's end is a bound, "known by the end" is a test
-- of the segment's start.
f_seg AS MATERIALIZED (
    SELECT width_bucket(f.received_at, b.bounds) AS i,
           width_bucket(r.responded_at, b.bounds) AS ri,
           coalesce(r.touchpoint, 'unknown') AS tp,
           count(*) AS fb_n,
           count(*) FILTER (WHERE pg_temp.vr_negative(coalesce(f.sentiment::real, g.sentiment)))
               AS fb_neg
      FROM c_feedback f
     CROSS JOIN b
      JOIN c_survey_responses r
        ON r.response_id = f.response_id
      LEFT JOIN :"res".feedback_tags g
        ON g.feedback_id = f.feedback_id
     WHERE f.brand IS NULL
       AND f.received_at >= b.first_at
       AND f.received_at < b.last_at
       AND r.responded_at < b.last_at
     GROUP BY 1, 2, 3
),
f AS (
    SELECT p.k,
           x.tp,
           sum(x.fb_n)::bigint AS fb_n,
           sum(x.fb_neg)::bigint AS fb_neg
      FROM f_seg x
     CROSS JOIN b
      JOIN seg p USING (i)
     WHERE x.ri = 0
        OR b.bounds[x.ri] < p.hi
     GROUP BY p.k, x.tp
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
RESET enable_sort;

-- The journey and department queries join this table by touchpoint: their
-- plans need its size.
ANALYZE t_touchpoint_counts;
