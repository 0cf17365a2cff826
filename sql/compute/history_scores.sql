-- The score history: docs/decisions.md "Histories by period", the survey
-- counts of each period of t_periods.
-- Figures: nps, nps_moe, csat, ces. Dims period=P; this file sums, the
--   scores are scores_add in jobs/compute/kpi_scores.c, as for the period's
--   own.
-- Parameters: none.
-- The touchpoints' counts (t_touchpoint_counts, kpi_journey) add up to the
-- company's; a period without a response still has its row of zeros.
SELECT p.k,
       coalesce(sum(t.scored), 0) AS scored,
       coalesce(sum(t.promoters), 0) AS promoters,
       coalesce(sum(t.detractors), 0) AS detractors,
       coalesce(sum(t.csat_n), 0) AS csat_n,
       coalesce(sum(t.csat_top2), 0) AS csat_top2,
       coalesce(sum(t.ces_n), 0) AS ces_n,
       coalesce(sum(t.ces_sum), 0) AS ces_sum
  FROM t_periods p
  LEFT JOIN t_touchpoint_counts t USING (k)
 GROUP BY p.k
 ORDER BY p.k DESC;
