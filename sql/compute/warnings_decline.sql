-- A falling NPS: docs/decisions.md "Departments, targets and closure"
-- (warn.nps_decline), the survey counts of the run's period and the three
-- before it, overall and per department.
-- Figures: warn.*. This file sums; the NPS of each period, the changes and
--   whether the latest is significant are jobs/compute/kpi_warnings.c.
-- Parameters: touchpoints, departments (text[] of the same length: each
--   owned touchpoint and the department that owns it, from the config).
-- t_touchpoint_counts holds each touchpoint's counts per period k of the
-- history (kpi_journey); they add up over touchpoints.  The overall row
-- (is_overall 1) counts every touchpoint, owned or not; a touchpoint nobody
-- owns also has a row of its own with a NULL department, which the reader
-- leaves out.
SELECT GROUPING(o.dept) AS is_overall,
       o.dept,
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
  FROM t_touchpoint_counts t
  LEFT JOIN unnest(:'touchpoints'::text[], :'departments'::text[]) AS o(tp, dept)
         ON o.tp = t.tp
 GROUP BY GROUPING SETS ((t.k), (o.dept, t.k));
