-- The journey map of the run's period: metrics.md "Departments, targets and
-- closure".
-- Figures: journey.nps, journey.csat, journey.negative_share, journey.status.
--   The scores and their status against the [journey] targets are
--   jobs/compute/kpi_journey.c's arithmetic on these counts.
-- Parameters: touchpoints (text[], the [journey] touchpoints in order).
-- Reads t_touchpoint_counts (journey_counts.sql), one row per touchpoint and
-- period. The configured touchpoints first, in their order, then every other
-- touchpoint with a response in the period, in byte order; a configured
-- touchpoint without a row counts nothing (NULL).
WITH l AS (
    SELECT tp
      FROM unnest(:'touchpoints'::text[]) tp
    UNION
    SELECT tp
      FROM t_touchpoint_counts
     WHERE k = 0
       AND responses > 0
)
SELECT l.tp,
       t.scored,
       t.promoters,
       t.detractors,
       t.csat_n,
       t.csat_top2,
       t.ces_n,
       t.ces_sum,
       t.fb_n,
       t.fb_neg
  FROM l
  LEFT JOIN t_touchpoint_counts t
    ON t.tp = l.tp
   AND t.k = 0
 ORDER BY array_position(:'touchpoints'::text[], l.tp), l.tp COLLATE "C";
