-- Case SLAs of the run's period: metrics.md "Departments, targets and closure".
-- Figures: sla.first_response_24h, sla.closed_48h, sla.open_over_72h. The
--   shares are jobs/compute/kpi_sla.c's: answered / red, closed / cases,
--   open_long / cases.
-- Parameters: departments (text[], the configured department codes).
-- Reads t_sla_counts (sla_counts.sql). Overall first (dept ''), then every
-- configured department and every one with a case, in byte order: a
-- configured department without a case still gets its (empty) row.
WITH d AS (
    SELECT '' AS dept
    UNION
    SELECT unnest(:'departments'::text[])
    UNION
    SELECT dept
      FROM t_sla_counts
     WHERE k = 0
)
SELECT d.dept,
       coalesce(s.red, 0) AS red,
       coalesce(s.answered, 0) AS answered,
       coalesce(s.cases, 0) AS cases,
       coalesce(s.closed, 0) AS closed,
       coalesce(s.open_long, 0) AS open_long
  FROM d
  LEFT JOIN t_sla_counts s
    ON s.dept = d.dept
   AND s.k = 0
 ORDER BY d.dept COLLATE "C";
