-- Each department's survey and feedback counts per period: metrics.md
-- "Departments, targets and closure".
-- Figures: dept.kpi.*. The actual, previous and status of the KPIs nps,
--   csat, ces and journey.negative_share, jobs/compute/kpi_depts.c's
--   arithmetic on these counts.
-- Parameters: touchpoints, departments (text[] of the same length: every
--   touchpoint a department owns and that department).
-- Reads t_touchpoint_counts (journey_counts.sql): a department's figures
-- are the sums over the touchpoints it owns, in each period k of the history.
SELECT o.dept,
       t.k,
       sum(t.scored) AS scored,
       sum(t.promoters) AS promoters,
       sum(t.detractors) AS detractors,
       sum(t.csat_n) AS csat_n,
       sum(t.csat_top2) AS csat_top2,
       sum(t.ces_n) AS ces_n,
       sum(t.ces_sum) AS ces_sum,
       sum(t.fb_n) AS fb_n,
       sum(t.fb_neg) AS fb_neg
  FROM unnest(:'touchpoints'::text[], :'departments'::text[]) o(tp, dept)
  JOIN t_touchpoint_counts t
    ON t.tp = o.tp
 GROUP BY o.dept, t.k;
