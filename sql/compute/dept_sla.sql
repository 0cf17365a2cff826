-- The departments' case SLAs per period: metrics.md "Departments, targets
-- and closure".
-- Figures: dept.kpi.*. The actual, previous and status of the KPIs
--   sla.first_response_24h, sla.closed_48h and sla.open_over_72h, computed
--   as sla_figures.sql's figures are (jobs/compute/kpi_depts.c).
-- Parameters: departments (text[], the configured department codes).
-- Reads t_sla_counts (sla_counts.sql).
SELECT dept,
       k,
       red,
       answered,
       cases,
       closed,
       open_long
  FROM t_sla_counts
 WHERE dept = ANY (:'departments'::text[]);
