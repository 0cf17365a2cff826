-- Survey and feedback counts per department and period, and overall:
-- metrics.md "Departments, targets and closure" (a department's KPIs nps,
-- csat, ces and journey.negative_share) and docs/decisions.md (warn.nps_decline,
-- over the run's period and the three before it).
-- Figures: dept.kpi.*, warn.*. This file sums; the actual, previous and
--   status of a department's KPIs are jobs/compute/kpi_depts.c, the NPS of each
--   period, its changes and whether the latest is significant
--   jobs/compute/kpi_warnings.c.
-- Parameters: touchpoints, departments (text[] of the same length: each
--   owned touchpoint and the department that owns it, from the config).
-- t_touchpoint_counts holds each touchpoint's counts per period k of the
-- history (journey_counts.sql); a department's counts are the sums over the
-- touchpoints it owns.  The overall row (is_overall 1) counts every
-- touchpoint, owned or not; a touchpoint nobody owns also has a row of its
-- own with a NULL department, which both readers leave out.
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
